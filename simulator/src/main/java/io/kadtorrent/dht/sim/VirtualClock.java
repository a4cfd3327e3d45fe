package io.kadtorrent.dht.sim;

/**
 * Simulated time: it only moves when the {@link SimulatedNetwork} processes the next event. Engines
 * never see it; the network passes its reading as the {@code now} argument of every engine call.
 */
public final class VirtualClock {

    private long nowMillis;

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
