package io.kadtorrent.engine.swarm;

/**
 * Bytes per second over the last 20 seconds, the window mainline's choker ranks peers by, kept in
 * one-second buckets. Time is passed in (milliseconds from one monotonic source). Confined to the
 * core's thread.
 */
final class TransferRate {

    private static final int WINDOW_SECONDS = 20;
    private static final long SECOND_MILLIS = 1_000L;

    private final long[] buckets = new long[WINDOW_SECONDS];
    private long currentSecond = Long.MIN_VALUE;

    void record(long bytes, long nowMillis) {
        advance(nowMillis);
        buckets[(int) Math.floorMod(currentSecond, WINDOW_SECONDS)] += bytes;
    }

    long bytesPerSecond(long nowMillis) {
        advance(nowMillis);
        long sum = 0;
        for (long b : buckets) {
            sum += b;
        }
        return sum / WINDOW_SECONDS;
    }

    /** Clears the buckets of the seconds that passed since the last call. */
    private void advance(long nowMillis) {
        long second = Math.floorDiv(nowMillis, SECOND_MILLIS);
        if (currentSecond == Long.MIN_VALUE || second - currentSecond >= WINDOW_SECONDS) {
            java.util.Arrays.fill(buckets, 0);
        } else {
            for (long s = currentSecond + 1; s <= second; s++) {
                buckets[(int) Math.floorMod(s, WINDOW_SECONDS)] = 0;
            }
        }
        currentSecond = Math.max(second, currentSecond == Long.MIN_VALUE ? second : currentSecond);
    }
}
