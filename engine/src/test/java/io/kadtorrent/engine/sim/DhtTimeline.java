package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.sim.SimNode;
import io.kadtorrent.dht.sim.SimulatedNetwork;

import java.net.InetSocketAddress;
import java.util.function.ObjLongConsumer;

/**
 * Keeps a DHT {@link SimulatedNetwork} on the swarm's virtual time: one clock for both worlds. The swarm's
 * {@link EventQueue} leads; it holds one pending "pump" event at the time of the DHT's next event, which
 * runs every DHT event up to the swarm's now. Before any DHT input the DHT catches up to now, and after it
 * the pump is moved earlier if the input queued an earlier DHT event. DHT callbacks only queue swarm events
 * (through the {@link EventQueueScheduler}), never re-enter the swarm, so each world keeps its own queue,
 * the DHT's stays the lean one its scale benchmark needs, and a seed replays exactly.
 */
final class DhtTimeline {

    private final EventQueue events;
    private final SimulatedNetwork network;
    private long pumpAtMillis = Long.MAX_VALUE;

    DhtTimeline(EventQueue events, SimulatedNetwork network) {
        this.events = events;
        this.network = network;
    }

    SimulatedNetwork network() {
        return network;
    }

    /** Runs {@code action} on {@code node}'s engine at the swarm's now, as {@link SimulatedNetwork#act} does. */
    void act(SimNode node, ObjLongConsumer<DhtEngine> action) {
        catchUp();
        network.act(node, action);
        armPump();
    }

    /** A new node at {@code address} (null: the network's next free one), created at the swarm's now. */
    SimNode addNode(InetSocketAddress address) {
        catchUp();
        SimNode node = address == null ? network.addNode()
                : network.addNode(NodeId.random(network.random()), address);
        armPump();
        return node;
    }

    void kill(SimNode node) {
        catchUp();
        network.kill(node);
    }

    void revive(SimNode node) {
        catchUp();
        network.revive(node);
        armPump();
    }

    private void catchUp() {
        long behind = events.now() - network.clock().nowMillis();
        if (behind < 0) {
            throw new IllegalStateException("the DHT ran ahead of the swarm: " + network.clock().nowMillis()
                    + " > " + events.now());
        }
        network.runFor(behind);
    }

    private void armPump() {
        long next = network.nextEventMillis();
        if (next < pumpAtMillis) {
            pumpAtMillis = next;
            events.at(next, () -> pump(next));
        }
    }

    private void pump(long atMillis) {
        if (atMillis != pumpAtMillis) {
            return; // superseded by an earlier pump
        }
        pumpAtMillis = Long.MAX_VALUE;
        catchUp();
        armPump();
    }
}
