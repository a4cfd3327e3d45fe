package io.kadtorrent.dht.engine;

/**
 * Counters of what one engine did, for tests, benchmarks and logs. Written only on the engine
 * thread; read elsewhere only as a snapshot ({@link #snapshot()}).
 */
public final class EngineStats {

    long datagramsReceived;
    long malformedDropped;
    long rateLimitedDropped;
    long unmatchedRepliesDropped;
    long queriesAnswered;
    long errorsSent;
    long queriesSent;
    long timeouts;
    long forgedItemsDropped;
    long verificationPings;

    /** An immutable copy of the counters. */
    public record Snapshot(long datagramsReceived, long malformedDropped, long rateLimitedDropped,
                           long unmatchedRepliesDropped, long queriesAnswered, long errorsSent,
                           long queriesSent, long timeouts, long forgedItemsDropped,
                           long verificationPings) {
    }

    public Snapshot snapshot() {
        return new Snapshot(datagramsReceived, malformedDropped, rateLimitedDropped, unmatchedRepliesDropped,
                queriesAnswered, errorsSent, queriesSent, timeouts, forgedItemsDropped, verificationPings);
    }
}
