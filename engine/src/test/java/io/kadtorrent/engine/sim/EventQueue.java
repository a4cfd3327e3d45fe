package io.kadtorrent.engine.sim;

import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time and the one queue of everything that happens in a swarm simulation, in time order and,
 * at equal times, in the order it was scheduled, so a seed replays exactly.
 */
final class EventQueue {

    private record Event(long atMillis, long seq, Runnable action) {
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>(
            (a, b) -> a.atMillis != b.atMillis ? Long.compare(a.atMillis, b.atMillis) : Long.compare(a.seq, b.seq));
    private long nowMillis;
    private long seq;
    private long processed;

    long now() {
        return nowMillis;
    }

    /** Runs {@code action} at {@code atMillis} (now, if that is past). */
    void at(long atMillis, Runnable action) {
        queue.add(new Event(Math.max(atMillis, nowMillis), seq++, action));
    }

    /** Events run so far. */
    long processed() {
        return processed;
    }

    int pending() {
        return queue.size();
    }

    /** Runs events until {@code done} holds or time would pass {@code deadlineMillis}; returns {@code done}. */
    boolean runUntil(BooleanSupplier done, long deadlineMillis, Runnable afterEach) {
        while (!done.getAsBoolean()) {
            Event e = queue.peek();
            if (e == null || e.atMillis > deadlineMillis) {
                nowMillis = Math.max(nowMillis, deadlineMillis);
                return done.getAsBoolean();
            }
            queue.poll();
            nowMillis = e.atMillis;
            processed++;
            e.action.run();
            afterEach.run();
        }
        return true;
    }
}
