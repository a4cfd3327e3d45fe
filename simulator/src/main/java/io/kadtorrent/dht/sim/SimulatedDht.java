package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * A {@link SimulatedNetwork} of nodes that joined one by one through the real bootstrap, with
 * blocking-style helpers (they run virtual time until the answer arrives) and a brute-force
 * oracle for the true closest nodes.
 */
public final class SimulatedDht {

    static final long OPERATION_LIMIT_MILLIS = 10 * 60_000L; // virtual; a lookup takes seconds

    private final SimulatedNetwork network;
    private SimNode[] byId; // every node sorted by id, rebuilt when nodes were added
    private boolean fillFromReplies; // DhtEngine.fillBucketsFromReplies for every node that joins
    private boolean askFastFirst; // DhtEngine.askFastFirst for every node
    private boolean askPastStragglers; // DhtEngine.askPastStragglers for every node

    private SimulatedDht(SimulatedNetwork network) {
        this.network = network;
    }

    /** {@code size} nodes; one at a time, each bootstraps from a random node that joined before it. */
    public static SimulatedDht join(long seed, int size, LinkModel link) {
        SimulatedDht dht = new SimulatedDht(new SimulatedNetwork(seed, link));
        dht.network.addNode();
        for (int i = 1; i < size; i++) {
            dht.joinWave(1);
        }
        return dht;
    }

    /**
     * Like {@link #join} but nodes join in concurrent waves of up to 2 % of the final size, as in
     * a growing network; this keeps virtual time short for big networks, so the 15-minute bucket
     * refresh does not dominate the run.
     */
    public static SimulatedDht joinInWaves(long seed, int size, LinkModel link) {
        return joinInWaves(seed, size, link, QueryPolicy.PATIENT);
    }

    /** Like {@link #joinInWaves(long, int, LinkModel)}, every node querying as {@code policy} says. */
    public static SimulatedDht joinInWaves(long seed, int size, LinkModel link, QueryPolicy policy) {
        return joinInWaves(seed, size, link, policy, BucketCapacity.STANDARD);
    }

    /** Like {@link #joinInWaves(long, int, LinkModel, QueryPolicy)}, with routing tables sized by {@code capacity}. */
    public static SimulatedDht joinInWaves(long seed, int size, LinkModel link, QueryPolicy policy, BucketCapacity capacity) {
        return joinInWaves(seed, size, link, policy, capacity, false, Parallelism.SEQUENTIAL);
    }

    /** As above; {@code fill}: every node pings the nodes lookup replies name that its buckets have room for. */
    public static SimulatedDht joinInWaves(long seed, int size, LinkModel link, QueryPolicy policy, BucketCapacity capacity,
                                           boolean fill) {
        return joinInWaves(seed, size, link, policy, capacity, fill, Parallelism.SEQUENTIAL);
    }

    /** Like {@link #joinInWaves(long, int, LinkModel, QueryPolicy, BucketCapacity)}, run as {@code parallelism} says. */
    public static SimulatedDht joinInWaves(long seed, int size, LinkModel link, QueryPolicy policy, BucketCapacity capacity,
                                           Parallelism parallelism) {
        return joinInWaves(seed, size, link, policy, capacity, false, parallelism);
    }

    /** With {@code fill} (see above) and run as {@code parallelism} says. */
    public static SimulatedDht joinInWaves(long seed, int size, LinkModel link, QueryPolicy policy, BucketCapacity capacity,
                                           boolean fill, Parallelism parallelism) {
        SimulatedDht dht = new SimulatedDht(new SimulatedNetwork(seed, link, policy));
        dht.network.useParallelism(parallelism);
        dht.network.useBucketCapacity(capacity);
        dht.fillFromReplies = fill;
        dht.network.addNode().engine().fillBucketsFromReplies(fill);
        int maxWave = Math.max(1, size / 50);
        while (dht.network.nodes().size() < size) {
            int joined = dht.network.nodes().size();
            dht.joinWave(Math.min(Math.min(maxWave, joined), size - joined));
        }
        return dht;
    }

    /** Like {@link #join}, in the {@code family} DHT (BEP 32: an IPv6 network is fd00::x:y addresses). */
    public static SimulatedDht join(long seed, int size, LinkModel link, AddressFamily family) {
        SimulatedDht dht = new SimulatedDht(new SimulatedNetwork(seed, link, QueryPolicy.PATIENT, family));
        dht.network.addNode();
        for (int i = 1; i < size; i++) {
            dht.joinWave(1);
        }
        return dht;
    }

    /** A network with no nodes yet (callers add and wire them). */
    public static SimulatedDht empty(long seed, LinkModel link) {
        return empty(seed, link, QueryPolicy.PATIENT);
    }

    /** A network with no nodes yet, every node querying as {@code policy} says. */
    public static SimulatedDht empty(long seed, LinkModel link, QueryPolicy policy) {
        return new SimulatedDht(new SimulatedNetwork(seed, link, policy));
    }

    /** {@code count} new nodes bootstrap at once, each through a random live node already in. */
    public void joinWave(int count) {
        int members = network.nodes().size();
        AtomicInteger pending = new AtomicInteger(count);
        for (int i = 0; i < count; i++) {
            startJoin(members, n -> pending.decrementAndGet());
        }
        if (!network.runUntil(() -> pending.get() == 0, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("bootstrap did not finish (seed " + network.seed() + ")");
        }
    }

    /**
     * Adds one node and starts its bootstrap through a random live node (without waiting for it: {@code done} gets
     * its table size when it has joined); it fills its buckets from replies if the network's joiners do.
     */
    public SimNode startJoin(IntConsumer done) {
        return startJoin(network.nodes().size(), done);
    }

    private SimNode startJoin(int among, IntConsumer done) {
        SimNode seed = randomLiveNode(among);
        SimNode node = network.addNode();
        node.engine().fillBucketsFromReplies(fillFromReplies);
        node.engine().askFastFirst(askFastFirst);
        node.engine().askPastStragglers(askPastStragglers);
        network.act(node, (e, now) -> e.bootstrap(now, List.of(seed.address()), done));
        return node;
    }

    /** {@link io.kadtorrent.dht.engine.DhtEngine#askFastFirst} for every node, and every node that joins from now on. */
    public void askFastFirst(boolean on) {
        askFastFirst = on;
        network.nodes().forEach(n -> n.engine().askFastFirst(on));
    }

    /** {@link io.kadtorrent.dht.engine.DhtEngine#askPastStragglers} for every node, and every node that joins from now on. */
    public void askPastStragglers(boolean on) {
        askPastStragglers = on;
        network.nodes().forEach(n -> n.engine().askPastStragglers(on));
    }

    /** A random live node among the first {@code among}; O(1) expected while most nodes live. */
    private SimNode randomLiveNode(int among) {
        for (int tries = 0; tries < 1_000; tries++) {
            SimNode n = network.nodes().get(network.random().nextInt(among));
            if (n.isAlive()) {
                return n;
            }
        }
        List<SimNode> alive = network.aliveNodes();
        return alive.get(network.random().nextInt(alive.size()));
    }

    public SimulatedNetwork network() {
        return network;
    }

    public LookupResult findNode(SimNode from, NodeId target) {
        AtomicReference<LookupResult> result = new AtomicReference<>();
        network.act(from, (e, now) -> e.findNode(now, target, result::set));
        return await(result);
    }

    public LookupResult getPeers(SimNode from, InfoHash infoHash) {
        AtomicReference<LookupResult> result = new AtomicReference<>();
        network.act(from, (e, now) -> e.getPeers(now, infoHash, p -> { }, result::set));
        return await(result);
    }

    public int announce(SimNode from, InfoHash infoHash, int port) {
        AtomicInteger accepted = new AtomicInteger(-1);
        network.act(from, (e, now) -> e.announce(now, infoHash, port, false, accepted::set));
        if (!network.runUntil(() -> accepted.get() >= 0, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("announce did not finish (seed " + network.seed() + ")");
        }
        return accepted.get();
    }

    /** BEP 44 put from {@code from}; returns how many nodes stored the item. */
    public int put(SimNode from, DhtItem item, OptionalLong cas) {
        AtomicInteger stored = new AtomicInteger(-1);
        network.act(from, (e, now) -> e.put(now, item, cas, stored::set));
        if (!network.runUntil(() -> stored.get() >= 0, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("put did not finish (seed " + network.seed() + ")");
        }
        return stored.get();
    }

    public Optional<ImmutableItem> getImmutable(SimNode from, NodeId target) {
        AtomicReference<Optional<ImmutableItem>> result = new AtomicReference<>();
        network.act(from, (e, now) -> e.getImmutable(now, target, result::set));
        return awaitValue(result);
    }

    public Optional<MutableItem> getMutable(SimNode from, byte[] key, byte[] salt) {
        AtomicReference<Optional<MutableItem>> result = new AtomicReference<>();
        network.act(from, (e, now) -> e.getMutable(now, key, salt, result::set));
        return awaitValue(result);
    }

    private <T> T awaitValue(AtomicReference<T> result) {
        if (!network.runUntil(() -> result.get() != null, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("get did not finish (seed " + network.seed() + ")");
        }
        return result.get();
    }

    private LookupResult await(AtomicReference<LookupResult> result) {
        if (!network.runUntil(() -> result.get() != null, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("lookup did not finish (seed " + network.seed() + ")");
        }
        return result.get();
    }

    /** Kills {@code fraction} of the live nodes, chosen at random, never one of {@code spare}. */
    public List<SimNode> kill(double fraction, Collection<SimNode> spare) {
        List<SimNode> candidates = new ArrayList<>(network.aliveNodes());
        candidates.removeAll(spare);
        int count = (int) Math.round(network.aliveNodes().size() * fraction); // of the live: churn may have left dead ones
        List<SimNode> killed = new ArrayList<>();
        for (int i = 0; i < count && !candidates.isEmpty(); i++) {
            SimNode victim = candidates.remove(network.random().nextInt(candidates.size()));
            network.kill(victim);
            killed.add(victim);
        }
        return killed;
    }

    /** The true {@code k} closest live node ids to {@code target}, closest first (exhaustive, over a sorted index). */
    public List<NodeId> trueClosest(NodeId target, int k) {
        return trueClosestNodes(target, k).stream().map(n -> n.engine().ownId()).toList();
    }

    /** The true {@code k} closest live nodes to {@code target}, closest first. */
    public List<SimNode> trueClosestNodes(NodeId target, int k) {
        if (byId == null || byId.length != network.nodes().size()) {
            byId = network.nodes().toArray(SimNode[]::new);
            Arrays.sort(byId, (a, b) -> a.engine().ownId().compareTo(b.engine().ownId()));
        }
        List<SimNode> out = new ArrayList<>(k);
        collectClosest(target, k, 0, byId.length, 0, out);
        return out;
    }

    /**
     * Adds to {@code out} the live ids in {@code byId[lo, hi)}, which all share their first {@code depth}
     * bits, closest to {@code target} first, until it holds {@code k}: the half that matches the target's
     * next bit is closer than all of the other half, so it goes first (a walk down the binary trie).
     */
    private void collectClosest(NodeId target, int k, int lo, int hi, int depth, List<SimNode> out) {
        if (out.size() >= k || lo >= hi) {
            return;
        }
        if (hi - lo <= 16 || depth == NodeId.BITS) {
            List<SimNode> few = new ArrayList<>(hi - lo);
            for (int i = lo; i < hi; i++) {
                if (byId[i].isAlive()) {
                    few.add(byId[i]);
                }
            }
            few.sort((a, b) -> target.compareDistance(a.engine().ownId(), b.engine().ownId()));
            out.addAll(few.subList(0, Math.min(few.size(), k - out.size())));
            return;
        }
        int split = firstWithBit(lo, hi, depth);
        if (target.bit(depth)) {
            collectClosest(target, k, split, hi, depth + 1, out);
            collectClosest(target, k, lo, split, depth + 1, out);
        } else {
            collectClosest(target, k, lo, split, depth + 1, out);
            collectClosest(target, k, split, hi, depth + 1, out);
        }
    }

    /** The first index in sorted {@code byId[lo, hi)} (one shared prefix before {@code bit}) whose id has {@code bit} set. */
    private int firstWithBit(int lo, int hi, int bit) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (byId[mid].engine().ownId().bit(bit)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** One lookup of a batch: who looked, for what, what it found, how long it took in virtual ms, exact or not. */
    public record TimedLookup(SimNode from, NodeId target, LookupResult result, long millis, boolean exact) {
    }

    /**
     * {@code batch} find_node lookups of random targets from random nodes of {@code alive}, all in flight at once,
     * run to the end (each draws its node, then its target, from the network's random stream, in order).
     */
    public List<TimedLookup> randomLookups(List<SimNode> alive, int batch) {
        AtomicInteger pending = new AtomicInteger(batch);
        SimNode[] from = new SimNode[batch];
        NodeId[] targets = new NodeId[batch];
        LookupResult[] results = new LookupResult[batch];
        long[] took = new long[batch];
        long start = network.clock().nowMillis();
        for (int i = 0; i < batch; i++) {
            int slot = i;
            from[i] = alive.get(network.random().nextInt(alive.size()));
            targets[i] = NodeId.random(network.random());
            network.act(from[i], (e, now) -> e.findNode(now, targets[slot], r -> {
                results[slot] = r;
                took[slot] = network.clock().nowMillis() - start;
                pending.decrementAndGet();
            }));
        }
        if (!network.runUntil(() -> pending.get() == 0, OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("lookups did not finish (seed " + network.seed() + ")");
        }
        List<TimedLookup> done = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            done.add(new TimedLookup(from[i], targets[i], results[i], took[i], isExact(from[i], targets[i], results[i])));
        }
        return done;
    }

    /** True when {@code result} holds exactly the true K closest live nodes other than {@code from}. */
    public boolean isExact(SimNode from, NodeId target, LookupResult result) {
        List<NodeId> truth = new ArrayList<>(trueClosest(target, result.closest().size() + 1));
        truth.remove(from.engine().ownId());
        List<NodeId> found = result.closest().stream().map(Contact::id).toList();
        return found.size() == 8 && truth.subList(0, Math.min(8, truth.size())).equals(found);
    }
}
