package io.kadtorrent.engine.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time and the one queue of everything that happens in a swarm simulation, in time order and,
 * at equal times, in the order it was scheduled, so a seed replays exactly.
 *
 * <p>A calendar queue: times are whole milliseconds, so the next {@link #WINDOW_MILLIS} each have a
 * FIFO bucket (O(1) to add and to take); later events wait in a heap and move into their bucket, in
 * (time, scheduling) order, as soon as the window reaches them, before anything can be added there
 * directly, which keeps the FIFO order of each millisecond equal to the scheduling order.
 */
final class EventQueue {

    /** Milliseconds of buckets ahead of now (a power of two). */
    static final int WINDOW_MILLIS = 1 << 16;
    private static final int MASK = WINDOW_MILLIS - 1;

    private record Later(long atMillis, long seq, Runnable action) {
    }

    /** One millisecond's events, in scheduling order; reused once run. */
    private static final class Bucket {
        Runnable[] actions = new Runnable[4];
        int head;
        int tail;

        void add(Runnable r) {
            if (tail == actions.length) {
                Runnable[] bigger = new Runnable[actions.length * 2];
                System.arraycopy(actions, 0, bigger, 0, tail);
                actions = bigger;
            }
            actions[tail++] = r;
        }
    }

    private final Bucket[] buckets = new Bucket[WINDOW_MILLIS];
    private final PriorityQueue<Later> later = new PriorityQueue<>(
            (a, b) -> a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private long nowMillis;
    private long seq;
    private long processed;
    /** Events in the buckets (the window), not yet run. */
    private long windowed;

    long now() {
        return nowMillis;
    }

    /** Runs {@code action} at {@code atMillis} (now, if that is past). */
    void at(long atMillis, Runnable action) {
        long at = Math.max(atMillis, nowMillis);
        if (at - nowMillis < WINDOW_MILLIS) {
            bucket(at).add(action);
            windowed++;
        } else {
            later.add(new Later(at, seq++, action));
        }
    }

    /** Events run so far. */
    long processed() {
        return processed;
    }

    /** Runs events until {@code done} holds or time would pass {@code deadlineMillis}; returns {@code done}. */
    boolean runUntil(BooleanSupplier done, long deadlineMillis, Runnable afterEach) {
        while (!done.getAsBoolean()) {
            Bucket b = buckets[(int) (nowMillis & MASK)];
            if (b != null && b.head < b.tail) {
                Runnable r = b.actions[b.head];
                b.actions[b.head++] = null;
                if (b.head == b.tail) {
                    b.head = 0;
                    b.tail = 0;
                }
                windowed--;
                processed++;
                r.run();
                afterEach.run();
                continue;
            }
            long next = nextTime();
            if (next < 0 || next > deadlineMillis) {
                advanceTo(Math.max(nowMillis, deadlineMillis));
                return done.getAsBoolean();
            }
            advanceTo(next);
        }
        return true;
    }

    /** The time of the next event after this millisecond's, or -1 when there is none. */
    private long nextTime() {
        if (windowed > 0) {
            for (long t = nowMillis + 1; ; t++) {
                Bucket b = buckets[(int) (t & MASK)];
                if (b != null && b.head < b.tail) {
                    return t;
                }
            }
        }
        Later first = later.peek();
        return first == null ? -1 : first.atMillis;
    }

    /** Moves now forward, and with it the window: heap events it now covers go to their buckets. */
    private void advanceTo(long t) {
        nowMillis = t;
        for (Later e = later.peek(); e != null && e.atMillis - nowMillis < WINDOW_MILLIS; e = later.peek()) {
            later.poll();
            bucket(e.atMillis).add(e.action);
            windowed++;
        }
    }

    private Bucket bucket(long at) {
        int i = (int) (at & MASK);
        Bucket b = buckets[i];
        if (b == null) {
            b = new Bucket();
            buckets[i] = b;
        }
        return b;
    }
}
