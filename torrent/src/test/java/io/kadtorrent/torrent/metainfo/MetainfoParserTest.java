package io.kadtorrent.torrent.metainfo;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.kadtorrent.torrent.metainfo.TorrentFixtures.multiFileInfo;
import static io.kadtorrent.torrent.metainfo.TorrentFixtures.singleFileInfo;
import static io.kadtorrent.torrent.metainfo.TorrentFixtures.torrent;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetainfoParserTest {

    private static String rejection(byte[] torrent) {
        return assertThrows(InvalidMetainfoException.class, () -> MetainfoParser.parse(torrent)).getMessage();
    }

    private static String rejectionOf(Consumer<Map<String, Object>> mutateInfo) {
        Map<String, Object> info = singleFileInfo("a.bin", 100_000, 32768);
        mutateInfo.accept(info);
        return rejection(torrent(info));
    }

    @Test
    void parsesASingleFileTorrent() throws Exception {
        Metainfo m = MetainfoParser.parse(torrent(singleFileInfo("a.bin", 100_000, 32768)));
        assertEquals("a.bin", m.name());
        assertTrue(m.isSingleFile());
        assertEquals(100_000, m.totalBytes());
        assertEquals(4, m.pieceCount());
        assertEquals(32768, m.pieceLengthBytes());
        assertEquals(List.of(new FileEntry(List.of("a.bin"), 100_000)), m.files());
        byte[] lastPiece = MessageDigest.getInstance("SHA-1").digest(new byte[100_000 - 3 * 32768]);
        assertTrue(m.pieceHashMatches(3, lastPiece));
        assertFalse(m.pieceHashMatches(0, lastPiece));
    }

    @Test
    void privateIsOneInInfoAndAnythingElseIsPublic() throws Exception {
        assertFalse(MetainfoParser.parse(torrent(singleFileInfo("a.bin", 1000, 16384))).isPrivate());
        Map<String, Object> info = singleFileInfo("a.bin", 1000, 16384);
        info.put("private", 1L);
        Metainfo m = MetainfoParser.parse(torrent(info));
        assertTrue(m.isPrivate());
        info.put("private", 0L);
        assertFalse(MetainfoParser.parse(torrent(info)).isPrivate());
        info.put("private", "1".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Metainfo odd = MetainfoParser.parse(torrent(info));
        assertFalse(odd.isPrivate(), "a string is not the integer 1");
        assertEquals(1, odd.warnings().size(), odd.warnings().toString());
    }

    @Test
    void parsesAMultiFileTorrent() throws Exception {
        Metainfo m = MetainfoParser.parse(torrent(multiFileInfo("dir", 16384, 10_000, "a/b", "c")));
        assertFalse(m.isSingleFile());
        assertEquals(List.of("a", "b"), m.files().get(0).path());
        assertEquals(20_000, m.totalBytes());
        assertEquals(2, m.pieceCount());
    }

    @Test
    void messagesNameTheOffendingField() {
        assertEquals("info is missing", rejection(BencodeCodec.encode(Map.of("x", 1L))));
        assertEquals("info must be a dictionary", rejection(BencodeCodec.encode(Map.of("info", 1L))));
        assertEquals("info.piece length must be > 0", rejectionOf(i -> i.put("piece length", 0L)));
        assertEquals("info.piece length must be an integer", rejectionOf(i -> i.put("piece length", "x")));
        assertTrue(rejectionOf(i -> i.put("piece length", 1L << 40)).startsWith("info.piece length must be <="));
        assertEquals("info.pieces length must be a multiple of 20", rejectionOf(i -> i.put("pieces", new byte[21])));
        assertTrue(rejectionOf(i -> i.put("pieces", new byte[20])).startsWith("info.pieces has 1 hashes but the files need 4"));
        assertEquals("info.pieces is missing", rejectionOf(i -> i.remove("pieces")));
        assertEquals("info.name is missing", rejectionOf(i -> i.remove("name")));
        assertTrue(rejectionOf(i -> i.put("name", "..")).startsWith("info.name is not a safe file name"));
        assertEquals("info.length must be >= 0", rejectionOf(i -> i.put("length", -1L)));
        assertEquals("info must have exactly one of length or files", rejectionOf(i -> i.remove("length")));
        assertEquals("info must have exactly one of length or files", rejectionOf(i -> i.put("files", List.of())));
        assertEquals("info has no data: total length is 0",
                rejection(torrent(singleFileInfo("a", 0, 16384))));
    }

    @Test
    void messagesNameTheOffendingFileEntry() {
        Map<String, Object> info = multiFileInfo("dir", 16384, 10, "a", "b");
        info.put("files", List.of(Map.of("length", 10L, "path", List.of("a")), Map.of("length", -5L, "path", List.of("b"))));
        assertEquals("info.files[1].length must be >= 0", rejection(torrent(info)));
        info.put("files", List.of(Map.of("length", 10L, "path", List.of("a")), Map.of("length", 10L, "path", List.of("b", 7L))));
        assertEquals("info.files[1].path[1] must be a byte string", rejection(torrent(info)));
        info.put("files", List.of(Map.of("length", 20L)));
        assertEquals("info.files[0].path is missing", rejection(torrent(info)));
        info.put("files", List.of(Map.of("length", 20L, "path", List.of())));
        assertEquals("info.files[0].path must not be empty", rejection(torrent(info)));
        info.put("files", List.of("notadict"));
        assertEquals("info.files[0] must be a dictionary", rejection(torrent(info)));
    }

    @Test
    void rejectsLengthsWhoseSumOverflows() {
        Map<String, Object> info = multiFileInfo("dir", 16384, 10, "a", "b");
        info.put("files", List.of(Map.of("length", Long.MAX_VALUE, "path", List.of("a")),
                Map.of("length", Long.MAX_VALUE, "path", List.of("b"))));
        assertTrue(rejection(torrent(info)).contains("overflow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "/abs", "a/b", "a\\b", "nul\0byte", "C:", "c:evil", "C:\nx"})
    void rejectsMaliciousPathComponents(String component) {
        Map<String, Object> info = multiFileInfo("dir", 16384, 10, "ok");
        info.put("files", List.of(Map.of("length", 10L, "path", List.of("sub", component))));
        assertTrue(rejection(torrent(info)).startsWith("info.files[0].path[1] is not a safe path component"),
                () -> "accepted " + component);
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "", "a/b", "C:", "x\\y"})
    void rejectsMaliciousNames(String name) {
        assertTrue(rejectionOf(i -> i.put("name", name)).startsWith("info.name is not a safe file name"));
    }

    @Test
    void rejectsDuplicatePathsAndFileFolderClashes() {
        assertTrue(rejection(torrent(multiFileInfo("d", 16384, 10, "a/b", "a/b"))).contains("duplicates"));
        assertTrue(rejection(torrent(multiFileInfo("d", 16384, 10, "a", "a/b"))).contains("below a path that is a file"));
        assertTrue(rejection(torrent(multiFileInfo("d", 16384, 10, "a/b", "a"))).contains("duplicates"));
        assertTrue(rejection(torrent(multiFileInfo("d", 16384, 10, "x/a/b", "x/a"))).contains("duplicates"));
    }

    @Test
    void prefersUtf8PathKeys() throws Exception {
        Map<String, Object> info = multiFileInfo("d", 16384, 10, "a");
        info.put("files", List.of(Map.of("length", 10L, "path", List.of("garbled"), "path.utf-8", List.of("\u00fc"))));
        assertEquals(List.of("\u00fc"), MetainfoParser.parse(torrent(info)).files().get(0).path());
    }

    @Test
    void infoHashIsTheSha1OfTheRawInfoBytesEvenWhenNotCanonical() throws Exception {
        byte[] pieces = TorrentFixtures.zeroPieceHashes(10, 16384);
        // keys out of order: "pieces" before "name"; a sorted re-encoding would hash differently
        String info = "d6:pieces20:" + new String(pieces, ISO_8859_1) + "4:name1:a12:piece lengthi16384e6:lengthi10ee";
        byte[] file = ("d4:info" + info + "e").getBytes(ISO_8859_1);
        Metainfo m = MetainfoParser.parse(file);
        byte[] expected = MessageDigest.getInstance("SHA-1").digest(info.getBytes(ISO_8859_1));
        assertArrayEquals(expected, m.infoHash().bytes());
        assertArrayEquals(info.getBytes(ISO_8859_1), m.rawInfo());
        byte[] reencoded = BencodeCodec.encode(BencodeCodec.decode(info.getBytes(ISO_8859_1),
                io.kadtorrent.torrent.bencode.BencodeLimits.TORRENT_FILE));
        assertFalse(java.util.Arrays.equals(expected, MessageDigest.getInstance("SHA-1").digest(reencoded)));
        assertEquals(m.infoHash(), MetainfoParser.parse(m.toBytes()).infoHash());
    }

    @Test
    void toBytesKeepsInfoHashModelledAndUnknownKeys() throws Exception {
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> info = singleFileInfo("a", 10, 16384);
        info.put("x-unknown-in-info", "kept");
        top.put("info", info);
        top.put("comment", "hello");
        top.put("created by", "test");
        top.put("creation date", 1_700_000_000L);
        top.put("announce", "http://tracker.invalid/announce");
        top.put("zz-unknown", Map.of("nested", List.of(1L, "two")));
        top.put("nodes", List.of(List.of("127.0.0.1", 6881L)));
        Metainfo m = MetainfoParser.parse(BencodeCodec.encode(top));
        Metainfo again = MetainfoParser.parse(m.toBytes());
        assertEquals(m.infoHash(), again.infoHash());
        assertEquals(m, again);
        assertEquals("hello", again.comment().orElseThrow());
        assertEquals(1_700_000_000L, again.creationDateSeconds().orElseThrow());
        assertEquals(List.of(HostAndPort.fromParts("127.0.0.1", 6881)), again.nodes());
        Map<?, ?> decoded = (Map<?, ?>) BencodeCodec.decode(again.toBytes(), io.kadtorrent.torrent.bencode.BencodeLimits.TORRENT_FILE);
        assertTrue(decoded.containsKey("zz-unknown"));
        assertArrayEquals(BencodeCodec.encode(top), m.toBytes());
    }

    @Test
    void withNodesReplacesNodesAndKeepsInfoHash() throws Exception {
        Metainfo m = MetainfoParser.parse(torrent(singleFileInfo("a", 10, 16384)));
        List<HostAndPort> nodes = List.of(HostAndPort.fromParts("10.0.0.1", 1), HostAndPort.fromParts("router.invalid", 6881));
        Metainfo with = m.withNodes(nodes);
        assertEquals(m.infoHash(), with.infoHash());
        assertEquals(nodes, with.nodes());
        assertEquals(nodes, MetainfoParser.parse(with.toBytes()).nodes());
        assertEquals(List.of(), m.nodes());
    }

    @Test
    void badNodesAreIgnoredWithAWarningNotTheTorrent() throws Exception {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info", singleFileInfo("a", 10, 16384));
        top.put("nodes", List.of(List.of("h", 70000L)));
        Metainfo m = MetainfoParser.parse(BencodeCodec.encode(top));
        assertEquals(List.of(), m.nodes());
        assertEquals(List.of("ignored the malformed optional key 'nodes': nodes[0] port must be 1..65535"), m.warnings());
        top.put("nodes", List.of(List.of("h")));
        assertEquals(List.of("ignored the malformed optional key 'nodes': nodes[0] must be a [host, port] list"),
                MetainfoParser.parse(BencodeCodec.encode(top)).warnings());
    }

    @Test
    void rejectsNonTorrentBytes() {
        assertTrue(rejection("hello".getBytes(ISO_8859_1)).startsWith("not a .torrent file"));
        assertTrue(rejection(new byte[0]).startsWith("not a .torrent file"));
    }
}
