package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.sim.EventQueue.Event;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;

/**
 * A deterministic discrete-event network of real {@link DhtEngine}s: datagrams are the real
 * encoded KRPC bytes, delivered after a {@link LinkModel} latency or lost; nodes can be killed
 * and revived and the network partitioned. Time is virtual ({@link VirtualClock}) and reaches each
 * engine only as the {@code now} argument of its calls; every random draw comes from one seed, so
 * a seed replays exactly. Addresses are 127.x.y.z values (fd00::x:y in an IPv6 network) that never
 * reach a socket; each node's engine is of its address's family (BEP 32).
 *
 * <p>Events run in windows, a conservative parallel simulation: no datagram arrives sooner than the link's
 * minimum latency after it was sent, so within a window [T, T + min latency) no node can affect another. Nodes are
 * split into {@link Parallelism#shards()} shards (node index mod shards), each with its own {@link EventQueue};
 * a window runs every shard's events due before its end, shards spread over {@link Parallelism#threads()}
 * threads; a datagram for another shard's node waits in an outbox until the next window. The driver (adding
 * nodes, {@link #act}, kills, checking whether it is done) acts only between windows. The outcome is the same
 * for any number of shards and threads: every draw for a datagram comes from its sender's own random stream,
 * a node takes its events in (time, sender index, sender's sequence) order, and the counters and the trace are
 * sums over deliveries. One shard on one thread is the sequential run.
 */
public final class SimulatedNetwork {

    private final long seed;
    private final QueryPolicy policy;
    private final SplittableRandom random;
    private final VirtualClock clock = new VirtualClock();
    private final LinkModel link;
    private final AddressFamily family;
    private final Map<InetSocketAddress, SimNode> byAddress = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final SharedNodeInfos sharedInfos = new SharedNodeInfos(nodes);
    private final long windowMillis; // the link's minimum one-way latency: no node affects another sooner
    private Parallelism parallelism = Parallelism.SEQUENTIAL;
    private Shard[] shards = {new Shard(0, 1, 0)};
    private boolean inWindow; // written by the driver between windows only
    private int writeSide; // outbox side the running window writes; the other one is read at its start
    private Set<InetSocketAddress> partitionSide;
    private Consumer<SimNode> afterStep = n -> { };
    private BucketCapacity bucketCapacity = BucketCapacity.STANDARD;

    /** Nodes use {@link QueryPolicy#PATIENT}: the properties ask for exact lookups at up to 10 % loss. */
    public SimulatedNetwork(long seed, LinkModel link) {
        this(seed, link, QueryPolicy.PATIENT);
    }

    public SimulatedNetwork(long seed, LinkModel link, QueryPolicy policy) {
        this(seed, link, policy, AddressFamily.IPV4);
    }

    /** Nodes added without an address get one of {@code family}. */
    public SimulatedNetwork(long seed, LinkModel link, QueryPolicy policy, AddressFamily family) {
        this.family = family;
        this.policy = policy;
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.link = link;
        this.windowMillis = Math.max(1, link.minLatencyMillis());
    }

    /**
     * From now on events run in {@code p.shards()} shards on {@code p.threads()} threads (between runs; pending
     * events move to their nodes' new shards). The outcome does not change, only how fast it comes.
     */
    public void useParallelism(Parallelism p) {
        if (p.shards() > 1 && link.minLatencyMillis() < 1) {
            throw new IllegalArgumentException("shards need a minimum latency of at least 1 ms: " + link);
        }
        List<Event> pending = new ArrayList<>();
        for (Shard shard : shards) {
            pending.addAll(shard.takeAll());
        }
        Shard[] fresh = new Shard[p.shards()];
        for (int i = 0; i < fresh.length; i++) {
            fresh[i] = new Shard(i, fresh.length, clock.nowMillis());
        }
        for (Shard old : shards) {
            fresh[0].delivered += old.delivered;
            fresh[0].lost += old.lost;
            fresh[0].trace += old.trace;
        }
        shards = fresh;
        parallelism = p;
        pending.forEach(e -> shardOf(e.to).queue.add(e));
    }

    public Parallelism parallelism() {
        return parallelism;
    }

    private Shard shardOf(SimNode node) {
        return shards[node.index % shards.length];
    }

    public long seed() {
        return seed;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** Called after every event with the node that handled it (e.g. to check its invariants). */
    public void afterEveryStep(Consumer<SimNode> check) {
        this.afterStep = check;
    }

    /** Nodes added from now on keep routing tables whose buckets hold as many nodes as {@code capacity} says. */
    public void useBucketCapacity(BucketCapacity capacity) {
        this.bucketCapacity = capacity;
    }

    /** Adds a node with a random id at the next free address. */
    public SimNode addNode() {
        return addNode(NodeId.random(random));
    }

    public SimNode addNode(NodeId id) {
        return addNode(id, address(nodes.size() + 1));
    }

    /** Adds a node at {@code address} (e.g. a simulated peer's own ip, as a client's DHT node shares it). */
    public SimNode addNode(NodeId id, InetSocketAddress address) {
        if (byAddress.containsKey(address)) {
            throw new IllegalArgumentException(address + " is taken");
        }
        SimNode[] self = new SimNode[1];
        DhtEngine engine = new DhtEngine(id, AddressFamily.of(address.getAddress()), (to, bytes) -> send(self[0], to, bytes),
                new SplittableRandom(random.nextLong()), policy, bucketCapacity, clock.nowMillis());
        engine.shareDecodedNodes(sharedInfos);
        int index = nodes.size();
        self[0] = new SimNode(address, engine, index, new SplittableRandom(LinkModel.mix(seed ^ LinkModel.mix(~(long) index))));
        nodes.add(self[0]);
        sharedInfos.added(self[0]);
        byAddress.put(address, self[0]);
        reschedule(self[0], clock.nowMillis());
        return self[0];
    }

    private InetSocketAddress address(int index) {
        byte[] ip = family == AddressFamily.IPV4
                ? new byte[]{127, (byte) (index >>> 16), (byte) (index >>> 8), (byte) index}
                : new byte[]{(byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) (index >>> 16), (byte) (index >>> 8), (byte) index};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), 6881);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code action} on {@code node}'s engine at the current virtual time, as its own thread would. */
    public void act(SimNode node, ObjLongConsumer<DhtEngine> action) {
        action.accept(node.engine(), clock.nowMillis());
        reschedule(node, clock.nowMillis());
    }

    /**
     * From now on {@code node} answers find_node and get_peers with {@link PoisonedReplies} instead of
     * its engine (which still answers ping and announce_peer, so it stays in routing tables).
     */
    public void makeHostile(SimNode node) {
        SplittableRandom own = new SplittableRandom(random.nextLong()); // drawn on the node's shard only
        node.poison = new PoisonedReplies(own, () -> nodes.get(own.nextInt(nodes.size())).address());
    }

    /** {@code node} answers honestly again. */
    public void makeHonest(SimNode node) {
        node.poison = null;
    }

    public void kill(SimNode node) {
        node.alive = false;
    }

    public void revive(SimNode node) {
        node.alive = true;
        reschedule(node, clock.nowMillis());
    }

    /** Drops every datagram between {@code side} and the rest until {@link #heal()}. */
    public void partition(Set<InetSocketAddress> side) {
        this.partitionSide = Set.copyOf(side);
    }

    public void heal() {
        this.partitionSide = null;
    }

    /** Runs on {@code from}'s shard while a window runs, on the driver between windows. */
    private void send(SimNode from, InetSocketAddress to, byte[] datagram) {
        if (!from.alive) {
            return;
        }
        Shard shard = shardOf(from);
        SimNode target = nodeAt(to);
        if (target == null || link.drops(from.link) || crossesPartition(from.address(), to)) {
            shard.lost++;
            return;
        }
        long now = inWindow ? shard.nowMillis : clock.nowMillis();
        Event e = new Event(now + link.latencyMillis(from.link, seed, from.index, target.index), from.index, from.seq++,
                target, from, datagram);
        Shard destination = shardOf(target);
        if (!inWindow || destination == shard) {
            destination.queue.add(e); // it arrives after this window ends, so this window never takes it
        } else {
            shard.post(writeSide, destination.id, e);
        }
    }

    /**
     * The node at {@code to}: the n-th node added without an address sits at 127.x.y.z with n in the low 24
     * bits, which {@code Inet4Address.hashCode} gives without a copy; any other address goes through the map.
     */
    private SimNode nodeAt(InetSocketAddress to) {
        if (to.getAddress() instanceof Inet4Address ip) {
            int index = (ip.hashCode() & 0xffffff) - 1;
            if (index >= 0 && index < nodes.size() && nodes.get(index).address().equals(to)) {
                return nodes.get(index);
            }
        }
        return byAddress.get(to);
    }

    private boolean crossesPartition(InetSocketAddress a, InetSocketAddress b) {
        return partitionSide != null && partitionSide.contains(a) != partitionSide.contains(b);
    }

    private void reschedule(SimNode node, long nowMillis) {
        long wake = Math.max(node.engine().nextTimerMillis(), nowMillis);
        if (wake < node.scheduledWakeMillis) {
            node.scheduledWakeMillis = wake;
            shardOf(node).queue.add(new Event(wake, node.index, node.seq++, node, null, null));
        }
    }

    /**
     * Runs windows of events until {@code done} holds or {@code maxMillis} of virtual time pass; returns
     * {@code done}. {@code done} is checked between windows (a window is a few virtual milliseconds), so the
     * clock may stand up to a window past the event that made it true: at the latest event of that window.
     */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        long deadline = clock.nowMillis() + maxMillis;
        try (Workers workers = Workers.start(this, shards, parallelism.threads())) {
            while (!done.getAsBoolean()) {
                long start = nextEventMillis();
                if (start > deadline) {
                    clock.advanceTo(Math.max(clock.nowMillis(), deadline));
                    return done.getAsBoolean();
                }
                long end = Math.min(start + windowMillis, deadline + 1);
                inWindow = true;
                try {
                    if (workers == null) {
                        for (Shard shard : shards) {
                            runWindow(shard, end);
                        }
                    } else {
                        workers.runWindow(end);
                    }
                } finally {
                    inWindow = false;
                    writeSide ^= 1;
                }
                long latest = clock.nowMillis();
                for (Shard shard : shards) {
                    latest = Math.max(latest, shard.lastMillis);
                }
                clock.advanceTo(latest);
            }
            return true;
        }
    }

    /** Takes in what other shards sent {@code shard} in the last window, then runs its events due before {@code end}. */
    void runWindow(Shard shard, long end) {
        for (Shard other : shards) {
            other.deliverTo(writeSide ^ 1, shard);
        }
        clock.enter(shard);
        try {
            for (Event e; (e = shard.queue.peek()) != null && e.timeMillis < end; ) {
                shard.queue.poll();
                shard.nowMillis = e.timeMillis;
                shard.lastMillis = e.timeMillis;
                step(shard, e);
            }
        } finally {
            clock.leave();
        }
    }

    /**
     * When the next event is due (a delivery or a wake-up, possibly one already superseded), or
     * {@link Long#MAX_VALUE} when none is queued: lets another virtual-time loop interleave with this one.
     */
    public long nextEventMillis() {
        long next = Long.MAX_VALUE;
        int readSide = writeSide ^ 1;
        for (Shard shard : shards) {
            Event e = shard.queue.peek();
            if (e != null) {
                next = Math.min(next, e.timeMillis);
            }
            next = Math.min(next, shard.earliestPosted(readSide));
        }
        return next;
    }

    /** Lets {@code millis} of virtual time pass. */
    public void runFor(long millis) {
        long until = clock.nowMillis() + millis;
        runUntil(() -> false, millis);
        clock.advanceTo(until);
    }

    private void step(Shard shard, Event e) {
        SimNode node = e.to;
        if (e.datagram == null) {
            if (e.timeMillis != node.scheduledWakeMillis) {
                return; // superseded by an earlier wake-up
            }
            node.scheduledWakeMillis = Long.MAX_VALUE;
            if (node.alive) {
                node.engine().onTimer(e.timeMillis);
            }
        } else if (node.alive) {
            shard.recordDelivery(e);
            if (!answeredWithPoison(node, e)) {
                node.engine().onDatagram(e.timeMillis, e.from.address(), e.datagram);
            }
        } else {
            shard.lost++;
        }
        if (node.alive) {
            reschedule(node, e.timeMillis);
            afterStep.accept(node);
        }
    }

    private boolean answeredWithPoison(SimNode node, Event e) {
        if (node.poison == null) {
            return false;
        }
        Optional<byte[]> reply = node.poison.answer(e.datagram, node.engine().ownId());
        reply.ifPresent(r -> send(node, e.from.address(), r));
        return reply.isPresent();
    }

    public List<SimNode> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public List<SimNode> aliveNodes() {
        return nodes.stream().filter(SimNode::isAlive).toList();
    }

    public SplittableRandom random() {
        return random;
    }

    public long delivered() {
        return Arrays.stream(shards).mapToLong(s -> s.delivered).sum();
    }

    public long lost() {
        return Arrays.stream(shards).mapToLong(s -> s.lost).sum();
    }

    /**
     * A digest of every delivery (time, sender, receiver, bytes), a sum of one hash per delivery so that it does
     * not depend on the order shards deliver in: equal for two runs of the same seed, with any parallelism.
     */
    public long traceDigest() {
        return 17 + Arrays.stream(shards).mapToLong(s -> s.trace).sum();
    }
}
