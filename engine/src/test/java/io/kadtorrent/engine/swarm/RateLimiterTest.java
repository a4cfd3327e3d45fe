package io.kadtorrent.engine.swarm;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimiterTest {

    @Test
    void aBucketStartsFullRefillsAtItsRateAndNeverHoldsMoreThanItsCapacity() {
        long rate = 10 * RateLimiter.MIN_CAPACITY_BYTES; // capacity = 100 ms of it = MIN_CAPACITY_BYTES
        RateLimiter bucket = new RateLimiter(rate);
        assertTrue(bucket.tryTake(0, RateLimiter.MIN_CAPACITY_BYTES), "full at first");
        assertFalse(bucket.tryTake(0, 1), "then empty");
        assertEquals(100, bucket.millisUntil(0, RateLimiter.MIN_CAPACITY_BYTES));
        assertEquals(0, bucket.unitsAvailable(49, RateLimiter.MIN_CAPACITY_BYTES / 2));
        assertEquals(1, bucket.unitsAvailable(50, RateLimiter.MIN_CAPACITY_BYTES / 2));
        assertEquals(2, bucket.unitsAvailable(60_000, RateLimiter.MIN_CAPACITY_BYTES / 2), "a long pause is no burst");
    }

    @Test
    void debtIsPaidBackBeforeAnythingPassesAndZeroMeansUnlimited() {
        RateLimiter bucket = new RateLimiter(1000 * 1024);
        bucket.take(0, bucket.unitsAvailable(0, 1) + 51_200L); // 50 ms of debt
        assertEquals(0, bucket.unitsAvailable(49, 1));
        assertTrue(bucket.unitsAvailable(51, 1) > 0);

        RateLimiter none = RateLimiter.unlimited();
        assertTrue(none.tryTake(0, Long.MAX_VALUE / 2));
        assertEquals(Integer.MAX_VALUE, none.unitsAvailable(0, 1));
        assertEquals(0, none.millisUntil(0, Long.MAX_VALUE / 2));
        assertThrows(IllegalArgumentException.class, () -> none.setRate(-1));
    }

    @Test
    void aThrottlePassesWhatBothBucketsHoldAndReportsWhenItsShareHeldTrafficBack() {
        Throttle t = new Throttle(new RateLimiter(10 * RateLimiter.MIN_CAPACITY_BYTES));
        t.setShare(20 * RateLimiter.MIN_CAPACITY_BYTES);
        assertEquals(2, t.unitsAvailable(0, RateLimiter.MIN_CAPACITY_BYTES / 2));
        t.take(0, RateLimiter.MIN_CAPACITY_BYTES);
        assertEquals(0, t.unitsAvailable(0, 1), "its own bucket is empty");
        assertEquals(100, t.millisUntil(0, RateLimiter.MIN_CAPACITY_BYTES));
        assertEquals(new LimitShares.Use(RateLimiter.MIN_CAPACITY_BYTES, false), t.takeUse(),
                "its own limit held it back, not the session's share");
        assertEquals(new LimitShares.Use(0, false), t.takeUse(), "a new window");

        t.setShare(RateLimiter.MIN_CAPACITY_BYTES); // the share now binds: 1 s per bucketful
        t.take(1_000, RateLimiter.MIN_CAPACITY_BYTES);
        assertEquals(1_000, t.millisUntil(1_000, RateLimiter.MIN_CAPACITY_BYTES));
        assertTrue(t.takeUse().heldBack(), "the share held traffic back: the session should give it more");
        t.setShare(0);
        assertTrue(t.isUnlimited() == false, "its own limit still applies");
    }

    /**
     * A torrent's share of the session's limit, idle for a minute, then asked for all it can pass for two
     * seconds: at most its rate for that time, 100 ms of it (the bucket's depth) and one block. An idle torrent's
     * floor share (a few hundred bytes per second) used to hold four blocks, ~66 KB above the limit per torrent.
     */
    @Test
    void aSharePassesAtMostOneBlockBeyondItsRate() {
        long unit = Uploads.cost(io.kadtorrent.engine.wire.BlockRequest.BLOCK_SIZE);
        for (long rate : new long[] {250, 10_000, 100_000, 1_000_000, 10_000_000}) {
            Throttle t = Throttle.unlimited();
            t.setShare(rate);
            t.unitsAvailable(0, unit); // a fresh bucket starts full
            long passed = 0;
            for (long now = 60_000; now <= 62_000; now++) {
                int units = t.unitsAvailable(now, unit);
                if (units > 0) {
                    t.take(now, units * unit);
                    passed += units * unit;
                }
            }
            long allowed = rate * 2 + rate * RateLimiter.CAPACITY_MILLIS / 1000 + RateLimiter.BLOCK_BYTES;
            assertTrue(passed <= allowed, "a share of " + rate + " B/s passed " + passed + " bytes in 2 s");
            assertTrue(passed >= rate * 2 - unit, "and no less than its rate allows: " + passed);
        }
    }
}
