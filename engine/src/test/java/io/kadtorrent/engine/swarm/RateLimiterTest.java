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
    void aThrottlePassesWhatBothBucketsHold() {
        RateLimiter session = new RateLimiter(20 * RateLimiter.MIN_CAPACITY_BYTES);
        Throttle own = new Throttle(new RateLimiter(10 * RateLimiter.MIN_CAPACITY_BYTES), session);
        assertEquals(2, own.unitsAvailable(0, RateLimiter.MIN_CAPACITY_BYTES / 2));
        own.take(0, RateLimiter.MIN_CAPACITY_BYTES);
        assertEquals(0, own.unitsAvailable(0, 1), "its own bucket is empty");
        assertTrue(session.unitsAvailable(0, 1) > 0, "the session's still holds the other torrents' share");
        assertEquals(100, own.millisUntil(0, RateLimiter.MIN_CAPACITY_BYTES));
    }
}
