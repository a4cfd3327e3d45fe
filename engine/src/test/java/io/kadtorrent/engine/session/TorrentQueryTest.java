package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Asking a torrent's swarm loop from another thread while the loop is busy. */
class TorrentQueryTest {

    private static final int PIECE = 32 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void aBusyLoopSkipsADisplayFrameInsteadOfFailingAndAnswersOnceFree() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "f.bin", 10 * PIECE, PIECE, 3);
        Torrent seed = sessions.start().add(m, tmp.resolve("seed"));
        seed.completion().get(30, TimeUnit.SECONDS);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        seed.post((core, now) -> { // the loop stalls, as on a starved machine
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            assertEquals(Optional.empty(), seed.statsWithin(Duration.ofMillis(50)), "busy: no answer, no failure");
        } finally {
            release.countDown();
        }
        Optional<SwarmStats> stats = seed.statsWithin(Duration.ofSeconds(30));
        assertTrue(stats.isPresent(), "free again: it answers");
        assertEquals(m.totalBytes(), stats.get().verifiedBytes());
    }

    @Test
    void anAsyncAskNeverBlocksTheCallerAndIsAnsweredOnceTheLoopIsFreeOrClosed() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "f.bin", 10 * PIECE, PIECE, 4);
        Session session = sessions.start();
        Torrent seed = session.add(m, tmp.resolve("seed"));
        seed.completion().get(30, TimeUnit.SECONDS);
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        seed.post((core, now) -> {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<SwarmStats> asked;
        try {
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            asked = seed.statsAsync(); // returns at once although the loop is stalled
            assertFalse(asked.isDone(), "the stalled loop has not answered yet");
        } finally {
            release.countDown();
        }
        assertEquals(seed.stats(), asked.get(30, TimeUnit.SECONDS), "answered once free, the same as asking and waiting");

        sessions.closeNow(session);
        assertEquals(m.totalBytes(), seed.statsAsync().get(30, TimeUnit.SECONDS).verifiedBytes(),
                "a closed session's torrent still answers, from its ended loop");
    }
}
