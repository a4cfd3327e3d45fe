package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 47 padding files and names longer than a file system takes, through a real transfer. */
class PaddingAndLongNamesTest {

    private static final int PIECE = 16384;
    private static final String LONG = "ä".repeat(140) + ".bin"; // 284 bytes of UTF-8

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void padFilesAreNeverWrittenAndALongNameIsShortenedAlikeOnBothSides() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        byte[] a = bytes(random, 10_000);
        byte[] b = bytes(random, 20_000);
        byte[] c = bytes(random, 100);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(a);
        all.write(new byte[PIECE - a.length]);
        all.write(b);
        all.write(new byte[2 * PIECE - b.length]);
        all.write(c);
        List<Object> files = new ArrayList<>();
        files.add(Map.of("length", (long) a.length, "path", List.of("a.bin")));
        files.add(Map.of("length", (long) PIECE - a.length, "path", List.of(".pad", "pad"), "attr", "p"));
        files.add(Map.of("length", (long) b.length, "path", List.of("docs", LONG)));
        files.add(Map.of("length", (long) 2 * PIECE - b.length, "path", List.of(".pad", "pad"), "attr", "p"));
        files.add(Map.of("length", (long) c.length, "path", List.of("c.bin")));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", "album");
        info.put("piece length", (long) PIECE);
        info.put("files", files);
        info.put("pieces", hashes(all.toByteArray()));
        Metainfo m = MetainfoParser.parse(BencodeCodec.encode(Map.of("info", info)));

        String shortened = TorrentPaths.diskName(LONG);
        assertNotEquals(LONG, shortened);
        assertTrue(shortened.getBytes(StandardCharsets.UTF_8).length <= TorrentPaths.MAX_NAME_BYTES);
        assertTrue(shortened.endsWith(".bin") && shortened.startsWith("ää"), shortened);
        assertEquals(shortened, TorrentPaths.diskName(LONG), "the same every time");
        assertNotEquals(shortened, TorrentPaths.diskName("ö" + LONG.substring(1)), "two long names stay apart");

        Path seedDir = tmp.resolve("seed");
        Files.createDirectories(seedDir.resolve("album/docs"));
        Files.write(seedDir.resolve("album/a.bin"), a);
        Files.write(seedDir.resolve("album/docs").resolve(shortened), b);
        Files.write(seedDir.resolve("album/c.bin"), c);
        Session seeder = sessions.start();
        Torrent seeding = seeder.add(m, seedDir);
        assertEquals(m.pieceCount(), seeding.store().orElseThrow().verifiedCount(), "pads read as zeros");

        Session leecher = sessions.start();
        Torrent getting = leecher.add(m, tmp.resolve("get"));
        getting.addPeer(seeder.localAddress());
        getting.completion().get(60, TimeUnit.SECONDS);
        Path got = tmp.resolve("get/album");
        assertArrayEquals(a, Files.readAllBytes(got.resolve("a.bin")));
        assertArrayEquals(b, Files.readAllBytes(got.resolve("docs").resolve(shortened)));
        assertArrayEquals(c, Files.readAllBytes(got.resolve("c.bin")));
        try (var listing = Files.walk(got)) {
            assertEquals(List.of("album", "a.bin", "c.bin", "docs", shortened),
                    listing.map(p -> p.getFileName().toString()).sorted((x, y) -> x.equals("album") ? -1
                            : y.equals("album") ? 1 : x.compareTo(y)).toList(), "no .pad folder, nothing else");
        }
    }

    private static byte[] bytes(SplittableRandom random, int n) {
        byte[] out = new byte[n];
        random.nextBytes(out);
        return out;
    }

    private static byte[] hashes(byte[] data) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        int count = (data.length + PIECE - 1) / PIECE;
        byte[] out = new byte[count * 20];
        for (int i = 0; i < count; i++) {
            sha1.update(data, i * PIECE, Math.min(PIECE, data.length - i * PIECE));
            System.arraycopy(sha1.digest(), 0, out, i * 20, 20);
        }
        return out;
    }
}
