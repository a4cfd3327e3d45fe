package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.sim.EventQueue.Event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One shard of a {@link SimulatedNetwork}: the pending events of its nodes, its time while a window runs, its
 * counters, and its outboxes of datagrams for other shards' nodes. During a window only the thread running it
 * touches it; other shards take what its outboxes hold for them at the start of the next window. Outboxes come in
 * two sides, so that what one window sends is never read while the next window writes.
 */
final class Shard {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    final int id;
    final EventQueue queue = new EventQueue();
    private final int count;
    private final List<List<Event>> outbox = new ArrayList<>(); // [side * count + target shard]
    private final long[] outboxMin; // the earliest event in each outbox, as above
    long nowMillis;
    long lastMillis; // the latest event this shard took in the window that ran last
    long delivered;
    long lost;
    long trace;

    Shard(int id, int count, long nowMillis) {
        this.id = id;
        this.count = count;
        this.nowMillis = nowMillis;
        this.lastMillis = nowMillis;
        for (int i = 0; i < 2 * count; i++) {
            outbox.add(new ArrayList<>());
        }
        outboxMin = new long[2 * count];
        Arrays.fill(outboxMin, Long.MAX_VALUE);
    }

    /** Keeps {@code e}, sent by one of this shard's nodes to a node of shard {@code target}, for the next window. */
    void post(int side, int target, Event e) {
        int box = side * count + target;
        outbox.get(box).add(e);
        outboxMin[box] = Math.min(outboxMin[box], e.timeMillis);
    }

    /** Moves into {@code to}'s queue what this shard's outboxes of {@code side} hold for it. */
    void deliverTo(int side, Shard to) {
        int box = side * count + to.id;
        List<Event> events = outbox.get(box);
        for (Event e : events) {
            to.queue.add(e);
        }
        events.clear();
        outboxMin[box] = Long.MAX_VALUE;
    }

    /** When the earliest event in this shard's outboxes of {@code side} is due, or {@link Long#MAX_VALUE}. */
    long earliestPosted(int side) {
        long min = Long.MAX_VALUE;
        for (int target = 0; target < count; target++) {
            min = Math.min(min, outboxMin[side * count + target]);
        }
        return min;
    }

    /** Every event this shard holds, queued or posted, taken out (to move them to other shards). */
    List<Event> takeAll() {
        List<Event> all = new ArrayList<>();
        for (Event e; (e = queue.poll()) != null; ) {
            all.add(e);
        }
        outbox.forEach(all::addAll);
        outbox.forEach(List::clear);
        Arrays.fill(outboxMin, Long.MAX_VALUE);
        return all;
    }

    /**
     * Counts the delivery of {@code e} and adds its hash (time, sender, receiver, bytes) to the trace: a sum, so
     * the trace does not depend on the order shards deliver in.
     */
    void recordDelivery(Event e) {
        delivered++;
        trace += LinkModel.mix(LinkModel.mix(LinkModel.mix(LinkModel.mix(e.timeMillis) + e.sender) + e.to.index)
                + digest(e.datagram));
    }

    /** A hash of every byte of {@code datagram}, eight at a time (the trace hashes every delivery). */
    private static long digest(byte[] datagram) {
        long h = datagram.length;
        int i = 0;
        for (; i + Long.BYTES <= datagram.length; i += Long.BYTES) {
            h = h * 0x9e3779b97f4a7c15L + (long) LONGS.get(datagram, i);
        }
        for (; i < datagram.length; i++) {
            h = h * 31 + datagram[i];
        }
        return h;
    }
}
