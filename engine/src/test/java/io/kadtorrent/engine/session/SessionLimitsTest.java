package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.LimitShares;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the session's rounds cost its torrents: events only where something changed. */
class SessionLimitsTest {

    private static final long HOUR = 3_600_000; // no scheduled round runs during a test: each is run by hand

    private final EventLoop timer = new DefaultEventLoop();

    @AfterEach
    void stop() throws Exception {
        timer.shutdownGracefully(0, 1, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    }

    /** A torrent that answers at once, counting the events it is sent. */
    private static final class Counting implements SessionLimits.Member {
        final AtomicInteger asked = new AtomicInteger();
        final AtomicInteger told = new AtomicInteger();
        volatile long upShare = -1;
        volatile LimitShares.Use nextUp = new LimitShares.Use(0, false);
        volatile boolean pending;

        @Override
        public CompletableFuture<LimitShares.Use[]> takeLimitUse() {
            asked.incrementAndGet();
            pending = false;
            LimitShares.Use up = nextUp;
            nextUp = new LimitShares.Use(0, false);
            return CompletableFuture.completedFuture(new LimitShares.Use[] {up, new LimitShares.Use(0, false)});
        }

        @Override
        public void setSessionShares(long uploadBytesPerSecond, long downloadBytesPerSecond) {
            told.incrementAndGet();
            upShare = uploadBytesPerSecond;
        }

        @Override
        public boolean limitUsePending() {
            return pending;
        }
    }

    private static int sum(List<Counting> all, boolean asked) {
        return all.stream().mapToInt(c -> (asked ? c.asked : c.told).getAndSet(0)).sum();
    }

    @Test
    void aThousandIdleTorrentsCostNoEventsOnceTheirFloorsAreSet() throws Exception {
        List<Counting> torrents = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            torrents.add(new Counting());
        }
        try (SessionLimits limits = new SessionLimits(timer, () -> torrents, HOUR)) {
            limits.set(1_000_000, 0);
            limits.roundNow().get(10, TimeUnit.SECONDS);
            assertEquals(1_000, sum(torrents, false) - 1_000, "the equal parts, then the idle floors");
            assertEquals(1_000, sum(torrents, true), "each asked once: nothing was known of them");

            for (int round = 0; round < 20; round++) {
                limits.roundNow().get(10, TimeUnit.SECONDS);
            }
            assertEquals(0, sum(torrents, true), "idle torrents are not asked again");
            assertEquals(0, sum(torrents, false), "nor told a share that did not change");

            Counting busy = torrents.get(7);
            busy.nextUp = new LimitShares.Use(50_000, true);
            busy.pending = true; // its core passed traffic
            limits.roundNow().get(10, TimeUnit.SECONDS);
            assertEquals(1, sum(torrents, true), "only the torrent that moved is asked");
            assertEquals(1, busy.told.get(), "and told its new share");
            assertTrue(busy.upShare > 250_000, "it takes what the idle ones leave: " + busy.upShare);
            assertEquals(1, sum(torrents, false));

            busy.pending = true;
            busy.nextUp = new LimitShares.Use(50_000, true);
            limits.roundNow().get(10, TimeUnit.SECONDS);
            assertEquals(1, sum(torrents, false), "held back: told again though its share is the same");
            sum(torrents, true);
        }
    }
}
