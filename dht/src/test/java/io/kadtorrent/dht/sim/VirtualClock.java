package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.Clock;

/** Simulated time: it only moves when the {@link SimulatedNetwork} processes the next event. */
public final class VirtualClock implements Clock {

    private long nowMillis;

    @Override
    public long nowMillis() {
        return nowMillis;
    }

    void advanceTo(long millis) {
        if (millis < nowMillis) {
            throw new IllegalStateException("virtual time cannot go back: " + millis + " < " + nowMillis);
        }
        nowMillis = millis;
    }
}
