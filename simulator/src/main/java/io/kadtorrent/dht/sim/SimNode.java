package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.DhtEngine;

import java.net.InetSocketAddress;
import java.util.SplittableRandom;

/** One simulated DHT node: a real {@link DhtEngine} at a simulated address, alive or killed. */
public final class SimNode {

    private final InetSocketAddress address;
    private final DhtEngine engine;
    final int index; // order of addition: the stable link model's per-node draw, the events' sender
    final SplittableRandom link; // loss and latency of what this node sends: its own stream, whichever shard runs it
    long seq; // this node's sends and wake-ups so far: orders its events after time and its index
    boolean alive = true;
    long scheduledWakeMillis = Long.MAX_VALUE;
    PoisonedReplies poison; // non-null while the node is hostile

    SimNode(InetSocketAddress address, DhtEngine engine, int index, SplittableRandom link) {
        this.address = address;
        this.engine = engine;
        this.index = index;
        this.link = link;
    }

    public InetSocketAddress address() {
        return address;
    }

    public DhtEngine engine() {
        return engine;
    }

    public boolean isHostile() {
        return poison != null;
    }

    public boolean isAlive() {
        return alive;
    }

    @Override
    public String toString() {
        return engine.ownId().shortHex() + "@" + address;
    }
}
