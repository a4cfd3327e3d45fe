package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mktorrent (Debian package) and our creator give the same info_hash for a fresh random tree. */
@Tag("interop")
class MktorrentInteropTest {

    private static final Path MKTORRENT = Path.of("/usr/bin/mktorrent");

    @TempDir
    Path dir;

    @Test
    void sameTreeAndPieceLengthGiveMktorrentsInfoHash() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(MKTORRENT), "mktorrent is not installed");
        Random random = new Random(42);
        String[] names = {"a", "a-b", "a.b", "B", ".hidden", "\u00fcber", "z z", "0"};
        Path share = dir.resolve("share");
        for (int i = 0; i < 40; i++) {
            Path p = share;
            int depth = 1 + random.nextInt(3);
            for (int d = 0; d < depth; d++) {
                p = p.resolve(names[random.nextInt(names.length)] + (d < depth - 1 ? "_d" : ""));
            }
            Files.createDirectories(p.getParent());
            byte[] data = new byte[random.nextInt(4) == 0 ? 0 : random.nextInt(100_000)];
            random.nextBytes(data);
            Files.write(p, data);
        }
        for (int pieceLog2 : new int[]{15, 18}) {
            Path theirs = dir.resolve("mktorrent-" + pieceLog2 + ".torrent");
            // mktorrent's -a: one tier per -a, commas inside one tier (no socket is opened for them)
            Process p = new ProcessBuilder(MKTORRENT.toString(), "-l", String.valueOf(pieceLog2),
                    "-a", "http://127.0.0.1:1/announce,udp://127.0.0.1:2", "-a", "http://127.0.0.1:3/announce",
                    "-o", theirs.toString(), share.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mktorrent.log").toFile()).start();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mktorrent timed out");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("mktorrent.log")));
            Metainfo ours = TorrentCreator.create(share, CreateOptions.defaults().withPieceLengthBytes(1 << pieceLog2)
                    .withTrackers(List.of(List.of("http://127.0.0.1:1/announce", "udp://127.0.0.1:2"),
                            List.of("http://127.0.0.1:3/announce"))));
            Metainfo mk = MetainfoParser.read(theirs);
            assertEquals(mk.files(), ours.files());
            assertEquals(mk.infoHash(), ours.infoHash());
            assertEquals(mk.announce(), ours.announce());
            assertEquals(mk.announceList(), ours.announceList());
        }
        // BEP 27: mktorrent's -p and our private flag give the same info_hash
        Path theirs = dir.resolve("mktorrent-private.torrent");
        Process p = new ProcessBuilder(MKTORRENT.toString(), "-p", "-l", "16", "-a", "http://127.0.0.1:1/announce",
                "-o", theirs.toString(), share.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mktorrent.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "mktorrent timed out");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("mktorrent.log")));
        Metainfo mk = MetainfoParser.read(theirs);
        Metainfo ours = TorrentCreator.create(share, CreateOptions.defaults().withPieceLengthBytes(1 << 16)
                .withPrivate(true).withTrackers(List.of(List.of("http://127.0.0.1:1/announce"))));
        assertTrue(mk.isPrivate());
        assertEquals(mk.infoHash(), ours.infoHash());
    }
}
