package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.dht.sim.SimNode;
import io.kadtorrent.dht.sim.SimulatedNetwork;
import io.kadtorrent.engine.discovery.DhtPeerDiscovery;
import io.kadtorrent.engine.discovery.DiscoveryConfig;
import io.kadtorrent.engine.discovery.PeerSink;
import io.kadtorrent.engine.discovery.Scheduler;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The DHT side of a {@link SwarmSimulation}: peers find each other only through the DHT, as a session
 * does ({@code SessionDht}). Each peer runs a real DHT node in a {@link SimulatedNetwork} at its own ip,
 * joins through one bootstrap node, and the production {@link DhtPeerDiscovery} (paced get_peers and
 * announces, on the swarm's virtual time) offers what it finds to the peer's core. Peers join, leave and
 * come back through this class instead of the simulation's introducer.
 */
final class SwarmDht {

    /** As {@code SessionDht.JOIN_GRACE}: discovery waits for the DHT join at most this long. */
    static final Duration JOIN_GRACE = Duration.ofSeconds(1);

    private final SwarmSimulation sim;
    private final DhtTimeline timeline;
    private final Scheduler scheduler;
    private final SimNode bootstrap;
    private final DiscoveryConfig config = DiscoveryConfig.defaults(SimNetwork.LISTEN_PORT);
    private final Map<SimPeer, SimNode> nodes = new HashMap<>();
    private final Map<SimPeer, DhtPeerDiscovery> discoveries = new HashMap<>();

    /** A DHT over {@code link} (datagrams lost at its loss rate) with one bootstrap node, as a production client's. */
    SwarmDht(SwarmSimulation sim, LinkModel link) {
        this.sim = sim;
        this.timeline = new DhtTimeline(sim.events(),
                new SimulatedNetwork(sim.random().nextLong(), link, QueryPolicy.DEFAULT));
        this.scheduler = new EventQueueScheduler(sim.events());
        this.bootstrap = timeline.addNode(null);
        sim.addCompletionListener(p -> {
            DhtPeerDiscovery d = discoveries.get(p);
            if (d != null) {
                d.torrentComplete(); // BEP 5: announce again as a seeder
            }
        });
    }

    /** A new peer joins now and looks for the others through the DHT only. */
    SimPeer join(PeerSpec spec) {
        SimPeer p = sim.join(spec, 0);
        startDiscovery(p);
        return p;
    }

    /** {@code p} vanishes from the swarm and the DHT at once (its node stops answering). */
    void leave(SimPeer p) {
        sim.leave(p);
        discoveries.remove(p).close();
        timeline.kill(nodes.get(p));
    }

    /** {@code p} comes back with its pieces and its DHT node's routing table, and joins the DHT again. */
    void rejoin(SimPeer p) {
        sim.rejoin(p, 0);
        timeline.revive(nodes.get(p));
        startDiscovery(p);
    }

    /** As {@code SessionDht.discover}: discovery starts once the node joined, or after {@link #JOIN_GRACE}. */
    private void startDiscovery(SimPeer p) {
        SimNode node = nodes.computeIfAbsent(p, q -> timeline.addNode(
                new InetSocketAddress(q.address.getAddress(), SimNetwork.LISTEN_PORT)));
        DhtPeerDiscovery discovery = new DhtPeerDiscovery(sim.torrent().metainfo().infoHash(), sink(p),
                new SimDhtLookup(timeline, node), scheduler, config);
        discoveries.put(p, discovery);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        timeline.act(node, (engine, now) -> engine.bootstrap(now, List.of(bootstrap.address()), size -> ready.complete(null)));
        scheduler.schedule(JOIN_GRACE, () -> ready.complete(null));
        ready.thenRun(discovery::start);
    }

    /** The peer as its discovery sees it: {@code Session}'s sink over {@code Torrent}. */
    private static PeerSink sink(SimPeer p) {
        return new PeerSink() {
            @Override
            public boolean needsPeers() {
                return p.alive && p.core().needsPeers();
            }

            @Override
            public void offer(InetSocketAddress peer) {
                p.addPeers(List.of(peer));
            }
        };
    }

    SimulatedNetwork network() {
        return timeline.network();
    }
}
