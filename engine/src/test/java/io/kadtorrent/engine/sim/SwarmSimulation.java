package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A whole swarm in virtual time: real {@link io.kadtorrent.engine.swarm.SwarmCore}s, one per
 * {@link SimPeer}, exchanging real peer-wire bytes over a {@link SimNetwork}, with stores that only
 * remember what was written ({@link SimStore}). Peers find each other through an introducer, a
 * tracker-less stand-in for a peer source that hands each joining peer random addresses of live ones
 * ({@code addPeers}, as {@code --peer} does). Every random draw comes from one seed, so a seed replays
 * exactly, and a failure names it.
 */
final class SwarmSimulation {

    private final long seed;
    private final SplittableRandom random;
    private final SyntheticTorrent torrent;
    private final EventQueue events = new EventQueue();
    private final SimNetwork network;
    private final SimInvariants invariants = new SimInvariants(this);
    private final SwarmConfig config;
    private final List<SimPeer> peers = new ArrayList<>();
    private final Map<InetAddress, SimPeer> byIp = new HashMap<>();
    private final io.netty.buffer.ByteBufAllocator blocks;
    private int completions;
    private Consumer<SimPeer> completionListeners = p -> { };

    /** {@code blocks}: where decoders allocate received blocks. Every message goes through the real codec. */
    SwarmSimulation(long seed, SyntheticTorrent torrent, LinkModel link, SwarmConfig config, ByteBufAllocator blocks) {
        this(seed, torrent, link, config, blocks, Transport.EXACT);
    }

    /** As above, with frames carried as {@code transport} says. */
    SwarmSimulation(long seed, SyntheticTorrent torrent, LinkModel link, SwarmConfig config, ByteBufAllocator blocks,
                    Transport transport) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.torrent = torrent;
        this.config = config;
        this.blocks = blocks;
        // the harness's own outgoing bytes skip the leak detector (the decoder releases them as it consumes
        // them); the received blocks the cores own come from {@code blocks}, which the tests count exactly
        PeerWire wire = new PeerWire(torrent, new UnpooledByteBufAllocator(false, true), blocks);
        this.network = new SimNetwork(events, transport, wire, link, random.split());
    }

    // ---- the swarm ----

    /** A new peer joins now and is introduced to {@code introductions} random live peers. */
    SimPeer join(PeerSpec spec, int introductions) {
        SimPeer p = new SimPeer(this, peers.size() + 1, spec, random);
        peers.add(p);
        byIp.put(p.address.getAddress(), p);
        p.stats.joinedAtMillis = events.now();
        p.start(config, random);
        introduce(p, introductions);
        return p;
    }

    /** Hands {@code p} the addresses of up to {@code count} random other live peers. */
    void introduce(SimPeer p, int count) {
        List<SimPeer> alive = new ArrayList<>();
        for (SimPeer q : peers) {
            if (q.alive && q != p) {
                alive.add(q);
            }
        }
        Set<SimPeer> chosen = new LinkedHashSet<>();
        while (chosen.size() < Math.min(count, alive.size())) {
            chosen.add(alive.get(random.nextInt(alive.size())));
        }
        p.addPeers(chosen.stream().map(q -> q.address).toList());
    }

    void leave(SimPeer p) {
        p.leave();
    }

    /** {@code p} comes back with the pieces it had verified, and is introduced again. */
    void rejoin(SimPeer p, int introductions) {
        p.start(config, random);
        introduce(p, introductions);
    }

    /**
     * Every {@code periodMillis}, peers whose core wants more peers ({@code needsPeers}) are introduced to
     * {@code count} more, as the runtime's peer sources are asked again.
     */
    void introduceEvery(long periodMillis, int count) {
        events.at(events.now() + periodMillis, () -> {
            for (SimPeer p : List.copyOf(peers)) {
                if (p.alive && p.core().needsPeers()) {
                    introduce(p, count);
                }
            }
            introduceEvery(periodMillis, count);
        });
    }

    /** Peers whose core said Completed (each counted once). */
    int completions() {
        return completions;
    }

    void completed(SimPeer p) {
        completions++;
        completionListeners.accept(p);
    }

    /** {@code listener} hears of each peer whose core said Completed, once (a peer source announces it). */
    void addCompletionListener(Consumer<SimPeer> listener) {
        completionListeners = completionListeners.andThen(listener);
    }

    /** True when the live peers other than {@code except} together hold every piece. */
    boolean othersHoldEverything(SimPeer except) {
        BitSet union = new BitSet();
        for (SimPeer p : peers) {
            if (p.alive && p != except) {
                union.or(p.store.verified());
            }
        }
        return union.cardinality() == torrent.layout().pieceCount();
    }

    // ---- running ----

    /** Runs until {@code done} or {@code maxMillis} of virtual time pass; any broken invariant fails with the seed. */
    boolean runUntil(BooleanSupplier done, long maxMillis) {
        try {
            return events.runUntil(done, events.now() + maxMillis, () -> { });
        } catch (RuntimeException e) {
            throw new AssertionError(this + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code action} at virtual time {@code atMillis}. */
    void at(long atMillis, Runnable action) {
        events.at(atMillis, action);
    }

    long now() {
        return events.now();
    }

    long seed() {
        return seed;
    }

    List<SimPeer> peers() {
        return Collections.unmodifiableList(peers);
    }

    /** The peer at {@code address}'s ip (its listening address or an ephemeral one), or null. */
    SimPeer peerAt(InetSocketAddress address) {
        return byIp.get(address.getAddress());
    }

    /** Where the decoders allocate received blocks (a {@link CountingAllocator} in the tests). */
    CountingAllocator blocks() {
        return (CountingAllocator) blocks;
    }

    SyntheticTorrent torrent() {
        return torrent;
    }

    EventQueue events() {
        return events;
    }

    SimNetwork network() {
        return network;
    }

    SimInvariants invariants() {
        return invariants;
    }

    SplittableRandom random() {
        return random;
    }

    @Override
    public String toString() {
        return "swarm simulation seed " + seed + " at " + events.now() + " ms";
    }
}
