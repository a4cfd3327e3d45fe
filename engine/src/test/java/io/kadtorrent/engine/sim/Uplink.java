package io.kadtorrent.engine.sim;

/**
 * A peer's upload capacity, shared by its connections: frames go in per connection, and leave, in each
 * connection's order, at the times the capacity allows ({@link RoundRobinUplink} frame by frame,
 * {@link BurstUplink} a train of frames at a time for the scale benchmark).
 */
interface Uplink {

    /** Told when a frame's last byte left the link, at that (fractional) time. */
    interface Departures {
        void departed(SimLink from, Frame frame, double atMillis);
    }

    /** Queues {@code frame} on {@code link} behind what the link already has queued. */
    void send(SimLink link, Frame frame);

    /** What is sent from now on may wait for {@link #release()}: the peer is performing one input's actions. */
    default void hold() {
    }

    /** Ends a {@link #hold()}: what was sent meanwhile goes out together. */
    default void release() {
    }

    /** Milliseconds {@code bytes} take at {@code bytesPerSecond} (0: unlimited). */
    static double transmitMillis(int bytes, long bytesPerSecond) {
        return bytesPerSecond == 0 ? 0 : bytes * 1000.0 / bytesPerSecond;
    }
}
