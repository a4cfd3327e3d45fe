package io.kadtorrent.engine.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * A peer's upload capacity for the scale benchmark ({@link Transport#BULK}): one event per train of
 * frames instead of one per frame. Blocks leave in trains of up to {@link #MAX_TRAIN_BLOCKS} (never past
 * the end of one of the core's bursts, whose last block reports back), the connections with blocks
 * waiting taking turns train by train at the full rate. Other messages (requests, haves, choking) leave
 * at once, all those queued on a connection in one train, as a TCP flow of a few bytes is not held
 * behind other flows' bulk; their bytes are charged by delaying the next block train. Each connection's
 * order is kept: messages queued behind a connection's blocks leave after them.
 */
final class BurstUplink extends SharedUplink {

    /** Blocks per train: 128 KiB, the scale benchmark's unit of bandwidth sharing and of delivery. */
    static final int MAX_TRAIN_BLOCKS = 8;

    /** Connections that got frames since the last flush ({@code ready} holds those whose head is a block). */
    private final List<SimLink> dirty = new ArrayList<>();
    /** Milliseconds of capacity small messages used since the last block train started. */
    private double borrowedMillis;
    private boolean flushScheduled;
    private boolean held;

    BurstUplink(EventQueue events, long bytesPerSecond, Departures departures) {
        super(events, bytesPerSecond, departures);
    }

    @Override
    public void send(SimLink link, Frame frame) {
        if (enqueue(link, frame)) {
            dirty.add(link);
        }
        if (!held && !flushScheduled) { // what one input makes a peer send goes out together
            flushScheduled = true;
            events.at(events.now(), this::flush);
        }
    }

    @Override
    public void hold() {
        held = true;
    }

    @Override
    public void release() {
        held = false;
        if (!dirty.isEmpty() && !flushScheduled) {
            flush();
        }
    }

    private void flush() {
        flushScheduled = false;
        for (SimLink link : dirty) {
            link.waitingForUplink = false;
            pump(link);
        }
        dirty.clear();
        if (!busy) {
            transmitNext(false);
        }
    }

    /** Sends the link's leading small messages now and queues it for its turn when a block follows. */
    private void pump(SimLink link) {
        if (link.trainQueued || !link.open) {
            return;
        }
        Frame head = link.outbox.peek();
        if (head != null && !(head instanceof Frame.BlockFrame)) {
            List<Frame> frames = new ArrayList<>(2);
            int bytes = 0;
            for (; head != null && !(head instanceof Frame.BlockFrame); head = link.outbox.peek()) {
                frames.add(link.outbox.poll());
                bytes += head.sizeBytes();
            }
            double millis = Uplink.transmitMillis(bytes, bytesPerSecond);
            borrowedMillis += millis;
            // behind the train on the wire now, as frame-by-frame round robin holds it behind about as many bytes
            double start = busy ? Math.max(freeAt, events.now()) : events.now();
            departures.departed(link, new Frame.Train(frames, bytes), start + millis);
        }
        if (head != null) {
            link.trainQueued = true;
            ready.add(link);
        }
    }

    /**
     * Starts the next train: right where the last one ended when {@code backToBack} (its departure event ran
     * at the next whole millisecond; starting from then would waste the fraction), else now.
     */
    private void transmitNext(boolean backToBack) {
        SimLink link = ready.poll();
        while (link != null && !link.open) {
            link.trainQueued = false;
            link = ready.poll();
        }
        if (link == null) {
            busy = false;
            return;
        }
        List<Frame> frames = new ArrayList<>(MAX_TRAIN_BLOCKS);
        int bytes = 0;
        for (Frame f = link.outbox.peek(); f instanceof Frame.BlockFrame b && frames.size() < MAX_TRAIN_BLOCKS;
             f = link.outbox.peek()) {
            frames.add(link.outbox.poll());
            bytes += b.sizeBytes();
            if (b.reportSent()) {
                break; // the end of the core's burst: it hears of it when this train has left
            }
        }
        busy = true;
        double start = backToBack ? freeAt : Math.max(freeAt, events.now());
        double end = start + borrowedMillis + Uplink.transmitMillis(bytes, bytesPerSecond);
        borrowedMillis = 0;
        freeAt = end;
        SimLink from = link;
        Frame.Train train = new Frame.Train(frames, bytes);
        events.at((long) Math.ceil(end), () -> {
            from.trainQueued = false;
            departures.departed(from, train, end);
            pump(from);
            transmitNext(true);
        });
    }
}
