package io.kadtorrent.engine.swarm;

/**
 * One direction's limits for one torrent: its own bucket and the session's, shared by every torrent.
 * Traffic passes when both hold the bytes; the core asks how many blocks may go, sends them, then takes
 * their cost from both. Time comes in as an argument.
 */
final class Throttle {

    private final RateLimiter own;
    private RateLimiter shared;

    Throttle(RateLimiter own, RateLimiter shared) {
        this.own = own;
        this.shared = shared;
    }

    static Throttle unlimited() {
        return new Throttle(RateLimiter.unlimited(), RateLimiter.unlimited());
    }

    RateLimiter own() {
        return own;
    }

    void shareWith(RateLimiter session) {
        shared = session;
    }

    boolean isUnlimited() {
        return own.isUnlimited() && shared.isUnlimited();
    }

    /** Whole units of {@code unitBytes} both buckets hold now. */
    int unitsAvailable(long now, long unitBytes) {
        return Math.min(own.unitsAvailable(now, unitBytes), shared.unitsAvailable(now, unitBytes));
    }

    void take(long now, long bytes) {
        own.take(now, bytes);
        shared.take(now, bytes);
    }

    /** Milliseconds until {@code bytes} may pass both buckets. */
    long millisUntil(long now, long bytes) {
        return Math.max(own.millisUntil(now, bytes), shared.millisUntil(now, bytes));
    }
}
