package io.kadtorrent.engine.swarm;

/**
 * One direction's limits for one torrent: its own bucket, and its share of the session's limit (a bucket of
 * its own too, whose rate the session sets from {@link LimitShares}: no bucket is shared between cores).
 * Traffic passes when both hold the bytes; the core asks how many blocks may go, sends them, then takes
 * their cost from both. Counts what passed and whether the share held traffic back, for the session's next
 * division. Time comes in as an argument.
 */
final class Throttle {

    private final RateLimiter own;
    private final RateLimiter share = RateLimiter.share();
    private long passedBytes;
    private boolean heldBack;

    Throttle(RateLimiter own) {
        this.own = own;
    }

    static Throttle unlimited() {
        return new Throttle(RateLimiter.unlimited());
    }

    RateLimiter own() {
        return own;
    }

    /** This torrent's share of the session's limit, bytes per second (0: the session has none). */
    void setShare(long bytesPerSecond) {
        share.setRate(bytesPerSecond);
    }

    boolean isUnlimited() {
        return own.isUnlimited() && share.isUnlimited();
    }

    /** Whole units of {@code unitBytes} both buckets hold now. */
    int unitsAvailable(long now, long unitBytes) {
        return Math.min(own.unitsAvailable(now, unitBytes), share.unitsAvailable(now, unitBytes));
    }

    void take(long now, long bytes) {
        own.take(now, bytes);
        share.take(now, bytes);
        passedBytes += bytes;
    }

    /** Milliseconds until {@code bytes} may pass both buckets (asked when traffic waits). */
    long millisUntil(long now, long bytes) {
        long forShare = share.millisUntil(now, bytes);
        if (forShare > 0) {
            heldBack = true;
        }
        return Math.max(own.millisUntil(now, bytes), forShare);
    }

    /** Something passed, or the share held something back, since the last {@link #takeUse}. */
    boolean hasUse() {
        return passedBytes > 0 || heldBack;
    }

    /** What passed since the last call and whether the share held anything back; starts a new window. */
    LimitShares.Use takeUse() {
        LimitShares.Use use = new LimitShares.Use(passedBytes, heldBack);
        passedBytes = 0;
        heldBack = false;
        return use;
    }
}
