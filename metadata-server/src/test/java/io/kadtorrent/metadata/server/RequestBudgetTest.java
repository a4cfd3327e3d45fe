package io.kadtorrent.metadata.server;

import com.google.common.base.Ticker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RequestBudgetTest {

    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = new Ticker() {
        @Override
        public long read() {
            return nanos.get();
        }
    };

    private int takes(RequestBudget b, int attempts) {
        int ok = 0;
        for (int i = 0; i < attempts; i++) {
            ok += b.tryTake() ? 1 : 0;
        }
        return ok;
    }

    @Test
    void startsFullSoAFreshClientGetsItsWholeBurst() {
        assertEquals(20, takes(new RequestBudget(10, 20, ticker), 50));
    }

    @Test
    void refillsAtTheRateUpToTheBurst() {
        RequestBudget b = new RequestBudget(10, 20, ticker);
        takes(b, 20);
        assertFalse(b.tryTake());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(5, takes(b, 50));
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(60));
        assertEquals(20, takes(b, 50));
    }

    @Test
    void aPartialTokenIsNotARequest() {
        RequestBudget b = new RequestBudget(1, 1, ticker);
        assertTrue(b.tryTake());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertFalse(b.tryTake());
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        assertTrue(b.tryTake());
    }
}
