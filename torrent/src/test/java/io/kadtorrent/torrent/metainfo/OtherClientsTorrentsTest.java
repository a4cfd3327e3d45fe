package io.kadtorrent.torrent.metainfo;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.kadtorrent.torrent.metainfo.TorrentFixtures.singleFileInfo;
import static io.kadtorrent.torrent.metainfo.TorrentFixtures.torrent;
import static io.kadtorrent.torrent.metainfo.TorrentFixtures.zeroPieceHashes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What other clients write and real clients accept: we read it too. */
class OtherClientsTorrentsTest {

    @Test
    void aTrailingNewlineOrSpaceAfterTheDictionaryIsAccepted() throws Exception {
        byte[] plain = torrent(singleFileInfo("a.bin", 100_000, 32768));
        for (String tail : List.of("\n", "\r\n", " \n\n", "\0")) {
            byte[] withTail = new byte[plain.length + tail.length()];
            System.arraycopy(plain, 0, withTail, 0, plain.length);
            System.arraycopy(tail.getBytes(), 0, withTail, plain.length, tail.length());
            assertEquals(MetainfoParser.parse(plain).infoHash(), MetainfoParser.parse(withTail).infoHash());
        }
        byte[] garbage = new byte[plain.length + 1];
        System.arraycopy(plain, 0, garbage, 0, plain.length);
        garbage[plain.length] = 'x';
        assertThrows(InvalidMetainfoException.class, () -> MetainfoParser.parse(garbage));
    }

    @Test
    void malformedOptionalKeysOutsideInfoAreIgnoredWithAWarning() throws Exception {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info", singleFileInfo("a.bin", 100_000, 32768));
        top.put("announce", List.of("not", "a", "string"));
        top.put("announce-list", "not a list");
        top.put("nodes", List.of(List.of("host", "port?")));
        top.put("creation date", "yesterday");
        top.put("comment", "still read");
        Metainfo m = MetainfoParser.parse(io.kadtorrent.torrent.bencode.BencodeCodec.encode(top));
        assertEquals("a.bin", m.name());
        assertEquals("still read", m.comment().orElseThrow());
        assertTrue(m.announce().isEmpty() && m.announceList().isEmpty() && m.nodes().isEmpty());
        assertEquals(4, m.warnings().size(), m.warnings().toString());
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("'creation date'")), m.warnings().toString());
    }

    @Test
    void aV2OnlyTorrentIsRefusedWithAClearMessage() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "v2");
        info.put("piece length", 16384L);
        info.put("meta version", 2L);
        info.put("file tree", Map.of("a.bin", Map.of("", Map.of("length", 5L))));
        var e = assertThrows(InvalidMetainfoException.class, () -> MetainfoParser.parse(torrent(info)));
        assertTrue(e.getMessage().contains("v2-only torrents are not supported yet"), e.getMessage());
    }

    @Test
    void bep47PaddingFilesArePartOfThePiecesButNotData() throws Exception {
        int piece = 16384;
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "album");
        info.put("piece length", (long) piece);
        List<Object> files = new ArrayList<>();
        files.add(Map.of("length", 10_000L, "path", List.of("a.bin")));
        files.add(Map.of("length", (long) piece - 10_000, "path", List.of(".pad", "6384"), "attr", "p"));
        files.add(Map.of("length", 20_000L, "path", List.of("b.bin")));
        files.add(Map.of("length", (long) 2 * piece - 20_000, "path", List.of(".pad", "12768"), "attr", "p"));
        files.add(Map.of("length", 100L, "path", List.of("c.bin"), "attr", "x"));
        files.add(Map.of("length", 0L, "path", List.of(".pad", "6384"), "attr", "p")); // same name again
        info.put("files", files);
        info.put("pieces", zeroPieceHashes(3L * piece + 100, piece));
        Metainfo m = MetainfoParser.parse(torrent(info));
        assertEquals(6, m.files().size());
        assertTrue(m.files().get(1).isPadding());
        assertFalse(m.files().get(4).isPadding());
        assertEquals("x", m.files().get(4).attr());
        assertEquals(List.of("a.bin", "b.bin", "c.bin"), m.dataFiles().stream().map(FileEntry::displayPath).toList());
        assertEquals(4, m.pieceCount());
    }
}
