package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

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
}
