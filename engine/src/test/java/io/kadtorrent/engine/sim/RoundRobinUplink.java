package io.kadtorrent.engine.sim;

/**
 * A peer's upload capacity frame by frame (the exact transport), shared by its connections as TCP flows
 * share a bottleneck: it sends one frame at a time at {@code bytesPerSecond}, taking the connections with something to send in turn,
 * so a small message on one connection waits behind at most one frame of each other connection,
 * never behind another connection's whole queue. A frame has left when its last byte has.
 */
final class RoundRobinUplink extends SharedUplink {

    RoundRobinUplink(EventQueue events, long bytesPerSecond, Departures departures) {
        super(events, bytesPerSecond, departures);
    }

    @Override
    public void send(SimLink link, Frame frame) {
        if (enqueue(link, frame)) {
            ready.add(link);
        }
        if (!busy) {
            transmitNext(false);
        }
    }

    /**
     * Starts the next frame: right where the previous one ended when {@code backToBack} (the link stayed busy;
     * the departure event that calls this runs at the next whole millisecond, and starting from then would
     * waste up to a millisecond of capacity per frame, a fifth of a fast seed's), else now.
     */
    private void transmitNext(boolean backToBack) {
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
        double start = backToBack ? freeAt : Math.max(freeAt, events.now());
        double end = start + Uplink.transmitMillis(frame.sizeBytes(), bytesPerSecond);
        freeAt = end;
        SimLink from = link;
        events.at((long) Math.ceil(end), () -> {
            departures.departed(from, frame, end);
            transmitNext(true);
        });
    }
}
