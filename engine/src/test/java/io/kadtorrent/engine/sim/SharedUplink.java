package io.kadtorrent.engine.sim;

import java.util.ArrayDeque;

/**
 * What every {@link Uplink} keeps: the peer's capacity, where departures are reported, the connections
 * waiting for their turn, and when the link is next free (fractional milliseconds of virtual time).
 */
abstract class SharedUplink implements Uplink {

    final EventQueue events;
    final long bytesPerSecond;
    final Departures departures;
    /** Connections with something to send, in turn order. */
    final ArrayDeque<SimLink> ready = new ArrayDeque<>();
    double freeAt;
    /** A departure event is pending. */
    boolean busy;

    SharedUplink(EventQueue events, long bytesPerSecond, Departures departures) {
        this.events = events;
        this.bytesPerSecond = bytesPerSecond;
        this.departures = departures;
    }

    /** Queues {@code frame} on {@code link}; true when the link was not waiting for its turn yet (now it is). */
    static boolean enqueue(SimLink link, Frame frame) {
        link.outbox.add(frame);
        if (link.waitingForUplink) {
            return false;
        }
        link.waitingForUplink = true;
        return true;
    }
}
