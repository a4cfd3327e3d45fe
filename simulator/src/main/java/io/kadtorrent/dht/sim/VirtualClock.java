package io.kadtorrent.dht.sim;

/**
 * Simulated time: it only moves when the {@link SimulatedNetwork} processes events. Engines never see it; the
 * network passes its reading as the {@code now} argument of every engine call. While a window of events runs,
 * each shard is at its own event's time: code called back from an engine (a lookup's result) reads that time
 * here, on the shard's thread; between windows everyone reads the network's time.
 */
public final class VirtualClock {

    private long nowMillis;
    private final ThreadLocal<Shard> running = new ThreadLocal<>();

    public long nowMillis() {
        Shard shard = running.get();
        return shard == null ? nowMillis : shard.nowMillis;
    }

    void advanceTo(long millis) {
        if (millis < nowMillis) {
            throw new IllegalStateException("virtual time cannot go back: " + millis + " < " + nowMillis);
        }
        nowMillis = millis;
    }

    /** The calling thread runs {@code shard}'s events until {@link #leave()}. */
    void enter(Shard shard) {
        running.set(shard);
    }

    void leave() {
        running.remove();
    }
}
