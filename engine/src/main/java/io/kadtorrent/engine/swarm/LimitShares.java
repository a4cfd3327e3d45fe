package io.kadtorrent.engine.swarm;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Divides a session's rate limit among its torrents, so that each torrent's core keeps a bucket of its own
 * and no bucket is shared between threads. Pure: the runtime measures, calls {@link #divide} every
 * {@code windowMillis}, and hands each core its share as a command.
 *
 * <p>Max-min fair: a torrent that was held back by its share in the last window wants more, one that was
 * not wants what it used plus a quarter (so a growing transfer is noticed), and never less than a small
 * floor (so a torrent that was idle can start at once). Shares are filled from the smallest demand up,
 * each getting its demand or an equal part of what is left, whichever is less: the shares never add up to
 * more than the limit (but for the one byte per second a share needs so as not to mean "unlimited"), what
 * one torrent leaves unused goes to the others within a window, and torrents that all want more get equal
 * parts.
 */
public final class LimitShares {

    /** A torrent's use of its share over the last window. */
    public record Use(long bytes, boolean heldBack) {
    }

    private LimitShares() {
    }

    /**
     * Each torrent's share of {@code limit} bytes per second, in {@code uses}' order; all 0 (unlimited)
     * when {@code limit} is 0.
     */
    public static long[] divide(long limit, Use[] uses, long windowMillis) {
        if (limit < 0 || windowMillis <= 0) {
            throw new IllegalArgumentException("limit " + limit + ", window " + windowMillis + " ms");
        }
        int n = uses.length;
        long[] shares = new long[n];
        if (limit == 0 || n == 0) {
            return shares;
        }
        long floor = Math.max(1, limit / (4L * n));
        long[] demand = new long[n];
        for (int i = 0; i < n; i++) {
            Use u = uses[i];
            long rate = u.bytes() / windowMillis * 1000 + u.bytes() % windowMillis * 1000 / windowMillis;
            demand[i] = u.heldBack() ? Long.MAX_VALUE : Math.max(floor, rate + rate / 4);
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong(i -> demand[i]));
        long left = limit;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            long share = Math.min(demand[i], left / (n - k));
            shares[i] = Math.max(1, share);
            left -= share;
        }
        return shares;
    }
}
