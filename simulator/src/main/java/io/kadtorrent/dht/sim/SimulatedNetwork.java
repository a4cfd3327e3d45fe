package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcDecodeException;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.sim.EventQueue.Event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
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
 */
public final class SimulatedNetwork {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long seed;
    private final QueryPolicy policy;
    private final SplittableRandom random;
    private final VirtualClock clock = new VirtualClock();
    private final LinkModel link;
    private final AddressFamily family;
    private final Map<InetSocketAddress, SimNode> byAddress = new HashMap<>();
    private final List<SimNode> nodes = new ArrayList<>();
    private final SharedNodeInfos sharedInfos = new SharedNodeInfos(nodes);
    private final EventQueue queue = new EventQueue();
    private long seq;
    private Set<InetSocketAddress> partitionSide;
    private Consumer<SimNode> afterStep = n -> { };
    private long delivered;
    private long lost;
    private long trace = 17;
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
        self[0] = new SimNode(address, engine, nodes.size());
        nodes.add(self[0]);
        byAddress.put(address, self[0]);
        reschedule(self[0]);
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
        reschedule(node);
    }

    /**
     * From now on {@code node} answers find_node and get_peers with {@link PoisonedReplies} instead of
     * its engine (which still answers ping and announce_peer, so it stays in routing tables).
     */
    public void makeHostile(SimNode node) {
        node.poison = new PoisonedReplies(new SplittableRandom(random.nextLong()),
                () -> nodes.get(random.nextInt(nodes.size())).address());
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
        reschedule(node);
    }

    /** Drops every datagram between {@code side} and the rest until {@link #heal()}. */
    public void partition(Set<InetSocketAddress> side) {
        this.partitionSide = Set.copyOf(side);
    }

    public void heal() {
        this.partitionSide = null;
    }

    private void send(SimNode from, InetSocketAddress to, byte[] datagram) {
        if (!from.alive) {
            return;
        }
        SimNode target = nodeAt(to);
        if (target == null || link.drops(random) || crossesPartition(from.address(), to)) {
            lost++;
            return;
        }
        queue.add(new Event(clock.nowMillis() + link.latencyMillis(random, seed, from.index, target.index), seq++, target, from,
                datagram));
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

    private void reschedule(SimNode node) {
        long wake = Math.max(node.engine().nextTimerMillis(), clock.nowMillis());
        if (wake < node.scheduledWakeMillis) {
            node.scheduledWakeMillis = wake;
            queue.add(new Event(wake, seq++, node, null, null));
        }
    }

    /** Processes events until {@code done} holds or {@code maxMillis} of virtual time pass; returns {@code done}. */
    public boolean runUntil(BooleanSupplier done, long maxMillis) {
        long deadline = clock.nowMillis() + maxMillis;
        while (!done.getAsBoolean()) {
            Event e = queue.peek();
            if (e == null || e.timeMillis > deadline) {
                clock.advanceTo(Math.max(clock.nowMillis(), Math.min(deadline, e == null ? deadline : e.timeMillis)));
                return done.getAsBoolean();
            }
            queue.poll();
            step(e);
        }
        return true;
    }

    /**
     * When the next event is due (a delivery or a wake-up, possibly one already superseded), or
     * {@link Long#MAX_VALUE} when none is queued: lets another virtual-time loop interleave with this one.
     */
    public long nextEventMillis() {
        Event e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.timeMillis;
    }

    /** Lets {@code millis} of virtual time pass. */
    public void runFor(long millis) {
        long until = clock.nowMillis() + millis;
        runUntil(() -> false, millis);
        clock.advanceTo(until);
    }

    private void step(Event e) {
        clock.advanceTo(e.timeMillis);
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
            delivered++;
            trace = trace * 31 + e.timeMillis * 7 + digest(e.datagram) + e.from.address().hashCode();
            if (!answeredWithPoison(node, e)) {
                node.engine().onDatagram(e.timeMillis, e.from.address(), e.datagram);
            }
        } else {
            lost++;
        }
        if (node.alive) {
            reschedule(node);
            afterStep.accept(node);
        }
    }

    /** A hash of every byte of {@code datagram}, eight at a time (the trace hashes every delivery). */
    private static long digest(byte[] datagram) {
        long h = datagram.length;
        int i = 0;
        for (; i + Long.BYTES <= datagram.length; i += Long.BYTES) {
            h = h * 0x9e3779b97f4a7c15L + (long) LONGS.get(datagram, i);
        }
        for (; i < datagram.length; i++) {
            h = h * 31 + datagram[i];
        }
        return h;
    }

    private boolean answeredWithPoison(SimNode node, Event e) {
        if (node.poison == null) {
            return false;
        }
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(e.datagram);
        } catch (KrpcDecodeException ex) {
            return false;
        }
        if (!(m instanceof KrpcQuery q)) {
            return false;
        }
        Optional<KrpcResponse> reply = node.poison.answer(q, node.engine().ownId());
        reply.ifPresent(r -> send(node, e.from.address(), KrpcCodec.encode(r)));
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
        return delivered;
    }

    public long lost() {
        return lost;
    }

    /** A digest of every delivery (time, sender, bytes): equal for two runs of the same seed. */
    public long traceDigest() {
        return trace;
    }
}
