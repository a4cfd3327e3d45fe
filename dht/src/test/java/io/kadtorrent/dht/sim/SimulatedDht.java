package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link SimulatedNetwork} of nodes that joined one by one through the real bootstrap, with
 * blocking-style helpers (they run virtual time until the answer arrives) and a brute-force
 * oracle for the true closest nodes.
 */
public final class SimulatedDht {

    static final long OPERATION_LIMIT_MILLIS = 10 * 60_000L; // virtual; a lookup takes seconds

    private final SimulatedNetwork network;

    private SimulatedDht(SimulatedNetwork network) {
        this.network = network;
    }

    /** {@code size} nodes; each bootstraps from a random node that joined before it. */
    public static SimulatedDht join(long seed, int size, LinkModel link) {
        SimulatedDht dht = new SimulatedDht(new SimulatedNetwork(seed, link));
        dht.network.addNode();
        for (int i = 1; i < size; i++) {
            dht.joinOne();
        }
        return dht;
    }

    /** A network with no nodes yet (callers add and wire them). */
    public static SimulatedDht empty(long seed, LinkModel link) {
        return new SimulatedDht(new SimulatedNetwork(seed, link));
    }

    public SimNode joinOne() {
        List<SimNode> alive = network.aliveNodes();
        SimNode seed = alive.get(network.random().nextInt(alive.size()));
        SimNode node = network.addNode();
        AtomicInteger size = new AtomicInteger(-1);
        network.act(node, e -> e.bootstrap(List.of(seed.address()), size::set));
        if (!network.runUntil(() -> size.get() >= 0, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("bootstrap did not finish (seed " + network.seed() + ")");
        }
        return node;
    }

    public SimulatedNetwork network() {
        return network;
    }

    public LookupResult findNode(SimNode from, NodeId target) {
        AtomicReference<LookupResult> result = new AtomicReference<>();
        network.act(from, e -> e.findNode(target, result::set));
        return await(result);
    }

    public LookupResult getPeers(SimNode from, InfoHash infoHash) {
        AtomicReference<LookupResult> result = new AtomicReference<>();
        network.act(from, e -> e.getPeers(infoHash, p -> { }, result::set));
        return await(result);
    }

    public int announce(SimNode from, InfoHash infoHash, int port) {
        AtomicInteger accepted = new AtomicInteger(-1);
        network.act(from, e -> e.announce(infoHash, port, false, accepted::set));
        if (!network.runUntil(() -> accepted.get() >= 0, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("announce did not finish (seed " + network.seed() + ")");
        }
        return accepted.get();
    }

    private LookupResult await(AtomicReference<LookupResult> result) {
        if (!network.runUntil(() -> result.get() != null, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("lookup did not finish (seed " + network.seed() + ")");
        }
        return result.get();
    }

    /** Kills {@code fraction} of the nodes, chosen at random, never one of {@code spare}. */
    public List<SimNode> kill(double fraction, Collection<SimNode> spare) {
        List<SimNode> candidates = new ArrayList<>(network.aliveNodes());
        candidates.removeAll(spare);
        int count = (int) Math.round(network.nodes().size() * fraction);
        List<SimNode> killed = new ArrayList<>();
        for (int i = 0; i < count && !candidates.isEmpty(); i++) {
            SimNode victim = candidates.remove(network.random().nextInt(candidates.size()));
            network.kill(victim);
            killed.add(victim);
        }
        return killed;
    }

    /** The true {@code k} closest live node ids to {@code target}, closest first (brute force). */
    public List<NodeId> trueClosest(NodeId target, int k) {
        PriorityQueue<NodeId> farthestFirst = new PriorityQueue<>(k + 1, (a, b) -> target.compareDistance(b, a));
        for (SimNode n : network.nodes()) {
            if (n.isAlive()) {
                farthestFirst.add(n.engine().ownId());
                if (farthestFirst.size() > k) {
                    farthestFirst.poll();
                }
            }
        }
        List<NodeId> out = new ArrayList<>(farthestFirst);
        out.sort(target::compareDistance);
        return out;
    }

    /** True when {@code result} holds exactly the true K closest live nodes other than {@code from}. */
    public boolean isExact(SimNode from, NodeId target, LookupResult result) {
        List<NodeId> truth = new ArrayList<>(trueClosest(target, result.closest().size() + 1));
        truth.remove(from.engine().ownId());
        List<NodeId> found = result.closest().stream().map(Contact::id).toList();
        return found.size() == 8 && truth.subList(0, Math.min(8, truth.size())).equals(found);
    }
}
