package io.kadtorrent.engine.sim;

import java.util.ArrayDeque;

/**
 * A peer's upload capacity, shared by its connections as TCP flows share a bottleneck: it sends one
 * frame at a time at {@code bytesPerSecond}, taking the connections with something to send in turn,
 * so a small message on one connection waits behind at most one frame of each other connection,
 * never behind another connection's whole queue. A frame has left when its last byte has.
 */
final class Uplink {

    /** Told when a frame's last byte left the link, at that (fractional) time. */
    interface Departures {
        void departed(SimLink from, Frame frame, double atMillis);
    }

    private final EventQueue events;
    private final long bytesPerSecond;
    private final Departures departures;
    private final ArrayDeque<SimLink> ready = new ArrayDeque<>();
    private double freeAt;
    private boolean busy;

    Uplink(EventQueue events, long bytesPerSecond, Departures departures) {
        this.events = events;
        this.bytesPerSecond = bytesPerSecond;
        this.departures = departures;
    }

    void send(SimLink link, Frame frame) {
        link.outbox.add(frame);
        if (!link.waitingForUplink) {
            link.waitingForUplink = true;
            ready.add(link);
        }
        if (!busy) {
            transmitNext();
        }
    }

    private void transmitNext() {
        SimLink link = ready.poll();
        while (link != null && (!link.open || link.outbox.isEmpty())) {
            link.waitingForUplink = false;
            link = ready.poll();
        }
        if (link == null) {
            busy = false;
            return;
        }
        Frame frame = link.outbox.poll();
        if (link.outbox.isEmpty()) {
            link.waitingForUplink = false;
        } else {
            ready.add(link); // round robin
        }
        busy = true;
        double end = Math.max(freeAt, events.now()) + transmitMillis(frame.sizeBytes(), bytesPerSecond);
        freeAt = end;
        SimLink from = link;
        events.at((long) Math.ceil(end), () -> {
            departures.departed(from, frame, end);
            transmitNext();
        });
    }

    /** Milliseconds {@code bytes} take at {@code bytesPerSecond} (0: unlimited). */
    static double transmitMillis(int bytes, long bytesPerSecond) {
        return bytesPerSecond == 0 ? 0 : bytes * 1000.0 / bytesPerSecond;
    }
}
