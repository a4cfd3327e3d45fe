package io.kadtorrent.metadata.server;

import com.google.common.base.Ticker;

/**
 * A token bucket: starts full with {@code burst} requests, refills at {@code perSecond}. We use
 * this rather than Guava's {@code RateLimiter} because that one starts every new address with
 * an empty bucket (a fresh client's first burst would be refused) and cannot run on virtual
 * time in tests. Thread-safe.
 */
final class RequestBudget {

    private static final double NANOS_PER_SECOND = 1e9;

    private final double perSecond;
    private final double burst;
    private final Ticker ticker;
    private double tokens;
    private long lastRefillNanos;

    RequestBudget(double perSecond, double burst, Ticker ticker) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.ticker = ticker;
        this.tokens = burst;
        this.lastRefillNanos = ticker.read();
    }

    /** Takes one request from the budget; false when it is spent. */
    synchronized boolean tryTake() {
        long now = ticker.read();
        tokens = Math.min(burst, tokens + (now - lastRefillNanos) / NANOS_PER_SECOND * perSecond);
        lastRefillNanos = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
