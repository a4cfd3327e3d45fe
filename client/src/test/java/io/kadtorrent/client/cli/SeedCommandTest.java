package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedCommandTest {

    @TempDir
    Path tmp;

    /** A downloader that only accepts connections (as Transmission does with loopback peers) is served. */
    @Test
    void seedDialsThePeersItIsGiven() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 31);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        try (LocalSessions sessions = new LocalSessions()) {
            Session downloader = sessions.start();
            Torrent waiting = downloader.add(m, tmp.resolve("out")); // given no peers: it never dials anyone
            Thread seed = new Thread(() -> CliRun.of("seed", file.toString(), "--data", tmp.resolve("seed").toString(),
                    "--peer", "127.0.0.1:" + downloader.localAddress().getPort(),
                    "--port", "0", "--bind", "127.0.0.1"), "seed-command");
            seed.start();
            try {
                waiting.completion().get(60, TimeUnit.SECONDS);
            } finally {
                seed.interrupt(); // the seed runs until Ctrl-C; an interrupt ends its wait the same way
                seed.join(30_000);
            }
            assertFalse(seed.isAlive(), "the seed command stopped");
            assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
        }
    }

    @Test
    void aWrongDataFolderSaysWhatIsMissingAndCreatesNothing() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 31);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliRun run = CliRun.of("seed", file.toString(), "--data", empty.toString(), "--port", "0", "--bind", "127.0.0.1");
        assertEquals(1, run.exitCode());
        FileEntry first = m.files().stream().filter(f -> f.lengthBytes() > 0).findFirst().orElseThrow();
        assertTrue(run.err().contains("missing: " + empty.resolve("t").resolve(String.join("/", first.path()))
                + " (" + ByteSize.format(first.lengthBytes()) + ")"), run.err());
        assertTrue(run.err().contains("error: the data of t is not under " + empty + ": "), run.err());
        assertTrue(run.err().contains("(expected " + empty.resolve("t") + ")"), run.err());
        assertEquals("", run.out()); // no "listening:": it never started
        try (var left = Files.list(empty)) {
            assertEquals(0, left.count(), "nothing created under --data");
        }
    }

    @Test
    void theTorrentsOwnFolderAsDataGetsAHint() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 31);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        CliRun run = CliRun.of("seed", file.toString(), "--data", tmp.resolve("seed/t").toString(), "--port", "0");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("try --data " + tmp.resolve("seed")), run.err());
    }

    @Test
    void aFileOfTheWrongSizeIsNamed() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 31);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        FileEntry first = m.files().stream().filter(f -> f.lengthBytes() > 1).findFirst().orElseThrow();
        Path victim = tmp.resolve("seed/t").resolve(String.join("/", first.path()));
        Files.write(victim, new byte[1]);
        CliRun run = CliRun.of("seed", file.toString(), "--data", tmp.resolve("seed").toString(), "--port", "0");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("wrong size: " + victim + " is 1 B, the torrent says "
                + ByteSize.format(first.lengthBytes())), run.err());
        assertEquals(1, Files.size(victim), "left as it was");
    }

    @Test
    void dataThatMatchesNoPieceIsAnError() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 31);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        TestTorrents.multiFile(tmp.resolve("other"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 99); // same sizes
        CliRun run = CliRun.of("seed", file.toString(), "--data", tmp.resolve("other").toString(),
                "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1");
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().contains("error: none of the " + m.pieceCount() + " pieces of t under "), run.err());
    }
}
