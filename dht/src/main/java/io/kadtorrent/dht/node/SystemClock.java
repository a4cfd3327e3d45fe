package io.kadtorrent.dht.node;

import io.kadtorrent.dht.engine.Clock;

/** Production time for the engine: a monotonic millisecond clock (never jumps with wall-clock changes). */
final class SystemClock implements Clock {

    @Override
    public long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }
}
