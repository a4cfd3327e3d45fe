package io.kadtorrent.dht.sim;

import java.util.PriorityQueue;

/**
 * The simulator's pending events in (time, sequence) order, the same order a priority queue on that
 * pair gives, at O(1) per event for the common case. Events due within {@link #WINDOW_MILLIS} of the
 * last one taken go to a timing wheel, one FIFO list per millisecond slot (appends arrive in sequence
 * order, so each list is sorted); later ones (timers minutes away) wait in a small heap. Taking an
 * event compares the wheel's earliest with the heap's earliest, so the order is exact either way.
 */
final class EventQueue {

    /** Virtual milliseconds the wheel spans: far more than any link latency or query timeout. */
    static final int WINDOW_MILLIS = 1 << 16;
    private static final int MASK = WINDOW_MILLIS - 1;

    /** One queued event; {@code next} links the events of one wheel slot. */
    static final class Event {
        final long timeMillis;
        final long seq;
        final SimNode to;
        final SimNode from; // null for a wake-up
        final byte[] datagram; // null for a wake-up
        Event next;

        Event(long timeMillis, long seq, SimNode to, SimNode from, byte[] datagram) {
            this.timeMillis = timeMillis;
            this.seq = seq;
            this.to = to;
            this.from = from;
            this.datagram = datagram;
        }
    }

    private final Event[] heads = new Event[WINDOW_MILLIS];
    private final Event[] tails = new Event[WINDOW_MILLIS];
    private final PriorityQueue<Event> far = new PriorityQueue<>(
            (a, b) -> a.timeMillis != b.timeMillis ? Long.compare(a.timeMillis, b.timeMillis) : Long.compare(a.seq, b.seq));
    private long floorMillis; // the last event taken was due then: every queued event is due no earlier
    private long scanMillis; // no wheel event is due before this (a hint, >= floorMillis)
    private int inWheel;

    /** Queues {@code e}, due no earlier than the last event taken. */
    void add(Event e) {
        if (e.timeMillis < floorMillis) {
            throw new IllegalStateException("event in the past: " + e.timeMillis + " < " + floorMillis);
        }
        if (e.timeMillis - floorMillis >= WINDOW_MILLIS) {
            far.add(e); // wheel events all lie within [floorMillis, floorMillis + WINDOW_MILLIS): no slot is shared
            return;
        }
        scanMillis = inWheel == 0 ? e.timeMillis : Math.min(scanMillis, e.timeMillis);
        int slot = (int) (e.timeMillis & MASK);
        if (heads[slot] == null) {
            heads[slot] = e;
        } else {
            tails[slot].next = e;
        }
        tails[slot] = e;
        inWheel++;
    }

    /** The next event without removing it, or null when none is queued. */
    Event peek() {
        Event wheel = wheelHead();
        Event heap = far.peek();
        if (wheel == null) {
            return heap;
        }
        return heap != null && before(heap, wheel) ? heap : wheel;
    }

    /** Removes and returns the next event, or null when none is queued. */
    Event poll() {
        Event next = peek();
        if (next == null) {
            return null;
        }
        if (next == far.peek()) {
            far.poll();
        } else {
            int slot = (int) (next.timeMillis & MASK);
            heads[slot] = next.next;
            if (heads[slot] == null) {
                tails[slot] = null;
            }
            next.next = null;
            inWheel--;
        }
        floorMillis = next.timeMillis;
        scanMillis = Math.max(scanMillis, floorMillis);
        return next;
    }

    private Event wheelHead() {
        if (inWheel == 0) {
            return null;
        }
        while (heads[(int) (scanMillis & MASK)] == null) {
            scanMillis++; // every wheel event lies within one window of the floor, so this ends
        }
        return heads[(int) (scanMillis & MASK)];
    }

    private static boolean before(Event a, Event b) {
        return a.timeMillis != b.timeMillis ? a.timeMillis < b.timeMillis : a.seq < b.seq;
    }
}
