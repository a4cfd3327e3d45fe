package io.kadtorrent.engine.swarm;

/**
 * A token bucket: {@code rate} bytes per second, holding at most {@link #capacity} so that a pause never
 * lets a burst through. Time comes in as an argument (milliseconds of one monotonic clock), so the core and
 * the simulator drive it the same way. A rate of 0 means unlimited. Confined to one core's thread: a
 * session's limit is divided into a bucket per torrent ({@link LimitShares}), never shared.
 */
public final class RateLimiter {

    /** The bucket holds this much time's worth of tokens: small, so 10 s windows stay within a few percent. */
    static final long CAPACITY_MILLIS = 100;
    /** One block with its headers (piece message, our request): the least a bucket holds, or no block could pass. */
    static final long BLOCK_BYTES = 16 * 1024 + 64;
    /** ...and a limit of its own holds a few blocks at low rates, so that it passes them in bursts. */
    static final long MIN_CAPACITY_BYTES = 4 * BLOCK_BYTES;

    private final long minCapacityBytes;
    private long bytesPerSecond;
    private double tokens;
    private long lastMillis = Long.MIN_VALUE;

    public RateLimiter(long bytesPerSecond) {
        this(bytesPerSecond, MIN_CAPACITY_BYTES);
    }

    private RateLimiter(long bytesPerSecond, long minCapacityBytes) {
        this.minCapacityBytes = minCapacityBytes;
        setRate(bytesPerSecond);
    }

    public static RateLimiter unlimited() {
        return new RateLimiter(0);
    }

    /**
     * A bucket for one torrent's share of the session's limit, unlimited until a rate is set: it holds at most
     * one block beyond {@link #CAPACITY_MILLIS} of its rate, so that however many torrents hold small shares
     * (idle ones hold a floor each), the session passes at most one block per torrent beyond what the limit
     * allows over any window beyond the 100 ms of the limit's rate every bucket holds; four blocks each (~66 KB)
     * would let a thousand idle torrents burst about 66 MB.
     */
    static RateLimiter share() {
        return new RateLimiter(0, BLOCK_BYTES);
    }

    /** Sets the rate (0: unlimited); what the bucket holds is kept within the new capacity. */
    public void setRate(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit cannot be negative: " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        tokens = Math.min(tokens, capacity());
    }

    public long rate() {
        return bytesPerSecond;
    }

    public boolean isUnlimited() {
        return bytesPerSecond == 0;
    }

    private long capacity() {
        return Math.max(minCapacityBytes, bytesPerSecond * CAPACITY_MILLIS / 1000);
    }

    private void refill(long now) {
        if (lastMillis == Long.MIN_VALUE) {
            lastMillis = now;
            tokens = capacity(); // a fresh bucket starts full
            return;
        }
        if (now > lastMillis) {
            tokens = Math.min(capacity(), tokens + (now - lastMillis) * bytesPerSecond / 1000.0);
            lastMillis = now;
        }
    }

    /**
     * Takes {@code bytes} whatever the bucket holds: it may go into debt, paid back before anything else
     * passes. For a consumer that checked {@link #unitsAvailable} and lost a race with another torrent.
     */
    public void take(long now, long bytes) {
        if (bytesPerSecond == 0) {
            return;
        }
        refill(now);
        tokens -= bytes;
    }

    /** Takes {@code bytes} when the bucket holds them (always, when unlimited); false leaves it as it was. */
    public boolean tryTake(long now, long bytes) {
        if (bytesPerSecond == 0) {
            return true;
        }
        refill(now);
        if (tokens < bytes) {
            return false;
        }
        tokens -= bytes;
        return true;
    }

    /** How many whole units of {@code unitBytes} could be taken now (Integer.MAX_VALUE when unlimited). */
    public int unitsAvailable(long now, long unitBytes) {
        if (bytesPerSecond == 0) {
            return Integer.MAX_VALUE;
        }
        refill(now);
        return tokens <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, (long) (tokens / unitBytes));
    }

    /** Milliseconds until {@code bytes} can be taken (0 when now, or unlimited). */
    public long millisUntil(long now, long bytes) {
        if (bytesPerSecond == 0) {
            return 0;
        }
        refill(now);
        double missing = Math.min(bytes, capacity()) - tokens;
        return missing <= 0 ? 0 : (long) Math.ceil(missing * 1000 / bytesPerSecond);
    }
}
