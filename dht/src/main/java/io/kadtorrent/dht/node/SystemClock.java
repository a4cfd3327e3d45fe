package io.kadtorrent.dht.node;

/** The runtime's time for the engine: a monotonic millisecond clock (never jumps with wall-clock changes). */
final class SystemClock {

    long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
