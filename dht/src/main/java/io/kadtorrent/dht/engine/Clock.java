package io.kadtorrent.dht.engine;

/** The engine's only source of time: the system clock in production, virtual time in tests. */
@FunctionalInterface
public interface Clock {

    /** Milliseconds on a monotonic scale (only differences matter). */
    long nowMillis();
}
