package io.kadtorrent.dht.sim;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * One shard's pending events in (time, sender, sequence) order: the same order a priority queue on that triple
 * gives, at O(1) per event for the common case plus one sort per millisecond. The order depends only on the events
 * themselves, never on the order they were added in, so events merged from other shards at a window's barrier
 * (see {@link SimulatedNetwork}) take the same places whichever thread made them.
 *
 * <p>Events due within {@link #WINDOW_MILLIS} of the last one taken go to a timing wheel, one unsorted list per
 * millisecond slot; later ones (timers minutes away) wait in a small heap. When the earliest millisecond comes up,
 * its events (from the wheel and the heap) are sorted once into the current slot; events added for that very
 * millisecond afterwards (a timer due now) wait beside it in a small heap.
 */
final class EventQueue {

    /** Virtual milliseconds the wheel spans: far more than any link latency or query timeout. */
    static final int WINDOW_MILLIS = 1 << 16;
    private static final int MASK = WINDOW_MILLIS - 1;

    /** (time, sender, sequence): a total order, as every node numbers what it sends and schedules. */
    static final Comparator<Event> ORDER = (a, b) -> a.timeMillis != b.timeMillis ? Long.compare(a.timeMillis, b.timeMillis)
            : a.sender != b.sender ? Integer.compare(a.sender, b.sender) : Long.compare(a.seq, b.seq);

    /** One queued event; {@code next} links the events of one wheel slot. */
    static final class Event {
        final long timeMillis;
        final int sender; // index of the node that sent the datagram or scheduled the wake-up
        final long seq; // that node's own count of its sends and wake-ups
        final SimNode to;
        final SimNode from; // null for a wake-up
        final byte[] datagram; // null for a wake-up
        Event next;

        Event(long timeMillis, int sender, long seq, SimNode to, SimNode from, byte[] datagram) {
            this.timeMillis = timeMillis;
            this.sender = sender;
            this.seq = seq;
            this.to = to;
            this.from = from;
            this.datagram = datagram;
        }
    }

    private final Event[] heads = new Event[WINDOW_MILLIS];
    private final PriorityQueue<Event> far = new PriorityQueue<>(ORDER);
    private long floorMillis; // the last event taken was due then: every queued event is due no earlier
    private long scanMillis; // no wheel event is due before this (a hint, >= floorMillis)
    private int inWheel;
    private int size;

    // The current slot: the events of one millisecond, sorted; cur[curPos, curEnd) are still to take.
    private long curMillis = -1; // -1: no slot loaded
    private Event[] cur = new Event[64];
    private int curPos;
    private int curEnd;
    private final PriorityQueue<Event> late = new PriorityQueue<>(ORDER); // added for curMillis after loading

    /** Queues {@code e}, due no earlier than the last event taken. */
    void add(Event e) {
        if (e.timeMillis < floorMillis) {
            throw new IllegalStateException("event in the past: " + e.timeMillis + " < " + floorMillis);
        }
        size++;
        if (curMillis >= 0) {
            if (e.timeMillis == curMillis) {
                late.add(e);
                return;
            }
            if (e.timeMillis < curMillis) {
                unload(); // nothing of the loaded millisecond was taken yet (the floor is below it): queue it afresh
            }
        }
        place(e);
    }

    private void place(Event e) {
        if (e.timeMillis - floorMillis >= WINDOW_MILLIS) {
            far.add(e); // wheel events all lie within [floorMillis, floorMillis + WINDOW_MILLIS): no slot is shared
            return;
        }
        scanMillis = inWheel == 0 ? e.timeMillis : Math.min(scanMillis, e.timeMillis);
        int slot = (int) (e.timeMillis & MASK);
        e.next = heads[slot];
        heads[slot] = e;
        inWheel++;
    }

    private void unload() {
        for (int i = curPos; i < curEnd; i++) {
            place(cur[i]);
            cur[i] = null;
        }
        for (Event e; (e = late.poll()) != null; ) {
            place(e);
        }
        curPos = 0;
        curEnd = 0;
        curMillis = -1;
    }

    /** How many events are queued. */
    int size() {
        return size;
    }

    /** The next event without removing it, or null when none is queued. */
    Event peek() {
        if (curMillis < 0 && !load()) {
            return null;
        }
        Event sorted = curPos < curEnd ? cur[curPos] : null;
        Event added = late.peek();
        if (sorted == null) {
            return added;
        }
        return added != null && ORDER.compare(added, sorted) < 0 ? added : sorted;
    }

    /** Removes and returns the next event, or null when none is queued. */
    Event poll() {
        Event next = peek();
        if (next == null) {
            return null;
        }
        if (curPos < curEnd && next == cur[curPos]) {
            cur[curPos++] = null;
        } else {
            late.poll();
        }
        size--;
        floorMillis = next.timeMillis;
        scanMillis = Math.max(scanMillis, floorMillis);
        if (curPos == curEnd && late.isEmpty()) {
            curPos = 0;
            curEnd = 0;
            curMillis = -1;
        }
        return next;
    }

    /** Makes the earliest millisecond's events (wheel and heap) the current slot, sorted; false when none is queued. */
    private boolean load() {
        long wheel = Long.MAX_VALUE;
        if (inWheel > 0) {
            while (heads[(int) (scanMillis & MASK)] == null) {
                scanMillis++; // every wheel event lies within one window of the floor, so this ends
            }
            wheel = scanMillis;
        }
        Event heap = far.peek();
        long at = Math.min(wheel, heap == null ? Long.MAX_VALUE : heap.timeMillis);
        if (at == Long.MAX_VALUE) {
            return false;
        }
        curPos = 0;
        curEnd = 0;
        if (wheel == at) {
            int slot = (int) (at & MASK);
            for (Event e = heads[slot]; e != null; ) {
                Event next = e.next;
                e.next = null;
                append(e);
                inWheel--;
                e = next;
            }
            heads[slot] = null;
        }
        while (far.peek() != null && far.peek().timeMillis == at) {
            append(far.poll());
        }
        if (curEnd > 1) {
            Arrays.sort(cur, 0, curEnd, ORDER);
        }
        curMillis = at;
        return true;
    }

    private void append(Event e) {
        if (curEnd == cur.length) {
            cur = Arrays.copyOf(cur, 2 * cur.length);
        }
        cur[curEnd++] = e;
    }
}
