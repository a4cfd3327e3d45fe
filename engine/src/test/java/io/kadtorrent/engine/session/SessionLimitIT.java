package io.kadtorrent.engine.session;

import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The session's upload limit holds for all its torrents together, divided among them by use (each core with a
 * bucket of its own), over real sockets on 127.0.0.1.
 */
class SessionLimitIT {

    private static final int PIECE = 64 * 1024;
    private static final long SIZE = 2L << 20;
    private static final long LIMIT = 1L << 20;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void twoTorrentsSeededAtOnceShareOneUploadLimit() throws Exception {
        Metainfo a = TestTorrents.singleFile(tmp.resolve("seed"), "a.bin", SIZE, PIECE, 21);
        Metainfo b = TestTorrents.singleFile(tmp.resolve("seed"), "b.bin", SIZE, PIECE, 22);
        Session seeder = sessions.start();
        seeder.setRateLimits(LIMIT, 0);
        assertArrayEquals(new long[] {LIMIT, 0}, seeder.rateLimits());
        Torrent seedA = seeder.add(a, tmp.resolve("seed"));
        Torrent seedB = seeder.add(b, tmp.resolve("seed"));

        Session client = sessions.start();
        long start = System.nanoTime();
        Torrent getA = client.add(a, tmp.resolve("out"));
        Torrent getB = client.add(b, tmp.resolve("out"));
        getA.addPeer(seeder.localAddress());
        getB.addPeer(seeder.localAddress());
        CompletableFuture.allOf(getA.completion(), getB.completion()).get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;

        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/a.bin"), tmp.resolve("out/a.bin")));
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/b.bin"), tmp.resolve("out/b.bin")));
        long uploaded = seedA.stats().uploadedBytes() + seedB.stats().uploadedBytes();
        // Each share's bucket may start full and hold 100 ms of its rate (at least one block); a limit applied per
        // torrent instead of to the session would let the 4 MiB through in about 2 s.
        long slack = 512 * 1024;
        assertTrue(uploaded - slack <= LIMIT * seconds,
                uploaded + " bytes uploaded in " + seconds + " s under a session limit of " + LIMIT + " B/s");
    }
}
