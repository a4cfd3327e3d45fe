package io.kadtorrent.engine.swarm;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Divides a session's rate limit among its torrents, so that each torrent's core keeps a bucket of its own
 * and no bucket is shared between threads. Pure: the runtime measures, calls {@link #divide} every
 * {@code windowMillis}, and hands each core its share as a command.
 *
 * <p>Torrents that moved nothing in the last window (idle, paused, without peers) get a small floor each, so
 * that one that wakes up can start at once, and take nothing from the others: the active ones divide the whole
 * limit. So the shares may exceed the limit by the idle torrents' floors, at most a quarter of it, and only for
 * the one window until the next division sees the newly active ones. Among the active torrents the division is
 * max-min fair: one that was held back by its share wants more, one that was not wants what it used plus a
 * quarter (so a growing transfer is noticed); shares are filled from the smallest demand up, each getting its
 * demand or an equal part of what is left, whichever is less. What one torrent leaves unused goes to the others
 * within a window, and torrents that all want more get equal parts.
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
        int active = 0;
        for (int i = 0; i < n; i++) {
            Use u = uses[i];
            if (u.bytes() == 0 && !u.heldBack()) {
                shares[i] = floor; // idle: a floor of its own, outside the active torrents' division
                demand[i] = -1;
                continue;
            }
            long rate = u.bytes() / windowMillis * 1000 + u.bytes() % windowMillis * 1000 / windowMillis;
            demand[i] = u.heldBack() ? Long.MAX_VALUE : Math.max(floor, rate + rate / 4);
            active++;
        }
        Integer[] order = IntStream.range(0, n).filter(i -> demand[i] >= 0).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingLong(i -> demand[i]));
        long left = limit;
        for (int k = 0; k < active; k++) {
            int i = order[k];
            long share = Math.min(demand[i], left / (active - k));
            shares[i] = Math.max(1, share);
            left -= share;
        }
        return shares;
    }
}
