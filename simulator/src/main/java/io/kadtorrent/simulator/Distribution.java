package io.kadtorrent.simulator;

import java.util.Arrays;

/** A sorted copy of measured values (hops, milliseconds, messages) and its percentiles by the nearest-rank rule. */
public final class Distribution {

    private final long[] sorted;

    private Distribution(long[] sorted) {
        this.sorted = sorted;
    }

    public static Distribution of(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return new Distribution(copy);
    }

    public static Distribution of(int[] values) {
        return of(Arrays.stream(values).asLongStream().toArray());
    }

    public int count() {
        return sorted.length;
    }

    /** The smallest value at or above fraction {@code q} of the values (nearest rank); 0 when there are none. */
    public long percentile(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("q must be 0 to 1: " + q);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    public long median() {
        return percentile(0.5);
    }

    public long min() {
        return sorted.length == 0 ? 0 : sorted[0];
    }

    public long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Distribution d && Arrays.equals(sorted, d.sorted);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
        return "Distribution[count=" + sorted.length + ", median=" + median() + ", max=" + max() + "]";
    }

    /** The values in ascending order (a copy). */
    public long[] values() {
        return sorted.clone();
    }
}
