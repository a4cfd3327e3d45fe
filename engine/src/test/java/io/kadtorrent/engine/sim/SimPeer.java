package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.swarm.SwarmAction;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.engine.swarm.SwarmCore;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One simulated peer: its real {@link SwarmCore} and the thin runtime around it, as {@code Torrent} is
 * for the Netty one: inputs from the network, the store and the timer go to the core with the virtual
 * time, and its actions are performed in order ({@link SimActions}). What it did is kept for the
 * properties; what its core must never do is checked as it happens ({@link SimInvariants}).
 */
final class SimPeer {

    private static final long TIMER_SPIN_LIMIT = 10_000;

    final int index;
    final InetSocketAddress address;
    final byte[] peerId;
    private final PeerSpec spec;
    final SimStore store;
    final Uplink uplink;
    final Set<SimLink> links = new LinkedHashSet<>();
    final SimStats stats = new SimStats();
    private final SwarmSimulation sim;
    private final SimActions actions;
    private SwarmCore core;
    /** The user's file priorities (empty: every file wanted) and the piece levels they give. */
    private List<FilePriority> priorities = List.of();
    private byte[] levels;
    boolean alive;
    private double downlinkFreeAt;
    private long scheduledWake = Long.MAX_VALUE;
    private long lastTimerAt = -1;
    private long timerSpins;

    SimPeer(SwarmSimulation sim, int index, PeerSpec spec, SplittableRandom random) {
        this.sim = sim;
        this.index = index;
        this.spec = spec;
        this.address = SimNetwork.address(index, SimNetwork.LISTEN_PORT);
        this.peerId = new byte[Handshake.PEER_ID_LENGTH];
        random.nextBytes(peerId);
        System.arraycopy("-SM0001-".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, peerId, 0, 8);
        this.store = spec.seed() ? SimStore.complete(sim.torrent()) : new SimStore(sim.torrent(), new java.util.BitSet());
        this.uplink = sim.network().uplink(spec.uploadBytesPerSecond());
        this.actions = new SimActions(this, sim);
    }

    /** Starts (or restarts, with the pieces it verified before) the peer's core and listens. */
    void start(SwarmConfig config, SplittableRandom random) {
        alive = true;
        store.restart();
        // like a real session: peers learn our listen port from the BEP 10 handshake
        core = SwarmCore.forTorrent(sim.torrent().metainfo(), store.verified(), priorities,
                config.withListenPort(address.getPort()), new SplittableRandom(random.nextLong()), now());
        sim.network().listen(this);
        after();
    }

    /** Vanishes: every connection is reset, nothing it had queued is sent. */
    void leave() {
        alive = false;
        sim.network().unlisten(this);
        for (SimLink l : List.copyOf(links)) {
            sim.network().close(l);
        }
        links.clear();
        core = null;
        scheduledWake = Long.MAX_VALUE;
    }

    PeerSpec spec() {
        return spec;
    }

    /** Sets the user's file priorities: before {@link #start}, or while running (a command to the core). */
    void wantFiles(List<FilePriority> wanted) {
        priorities = List.copyOf(wanted);
        var m = sim.torrent().metainfo();
        levels = FilePriority.pieceLevels(m.layout(), m.files(), priorities);
        if (alive) {
            core.setFilePriorities(now(), priorities);
            after();
        }
    }

    /** Sets the peer's own rate limits (bytes per second, 0 unlimited), a command to its running core. */
    void limitRates(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        core.setRateLimits(now(), uploadBytesPerSecond, downloadBytesPerSecond);
        after();
    }

    /** A reader needs these pieces next, soonest first (a command to the running core). */
    void needSoon(List<Integer> pieces) {
        if (alive) {
            core.setUrgentPieces(now(), pieces);
            after();
        }
    }

    /** True when the user wants piece {@code index} (some wanted file has a byte in it). */
    boolean wants(int index) {
        return levels == null || levels[index] > 0;
    }

    /** True when every wanted piece is verified in its store. */
    boolean hasWhatItWants() {
        for (int i = 0; i < sim.torrent().layout().pieceCount(); i++) {
            if (wants(i) && !store.has(i)) {
                return false;
            }
        }
        return true;
    }

    SwarmCore core() {
        return core;
    }

    Handshake handshake() {
        byte[] reserved = Handshake.ourReserved();
        if (spec.behaviour() == Behaviour.NO_FAST) {
            reserved[7] &= ~0x04; // BEP 6 bit
        }
        return new Handshake(reserved, sim.torrent().metainfo().infoHash(), peerId);
    }

    long now() {
        return sim.events().now();
    }

    // ---- inputs ----

    void connected(SimLink link, Handshake remote) {
        link.connected = true;
        core.peerConnected(now(), link, link.remoteAddress, remote, link.outgoing);
        actions.startFlood(link);
        after();
    }

    void message(SimLink link, PeerMessage m) {
        sim.invariants().received(this, link, m);
        core.peerMessage(now(), link, m);
        after();
    }

    void remoteClosed(SimLink link) {
        links.remove(link);
        if (link.ended || !alive) {
            return;
        }
        link.ended = true;
        if (link.connected) {
            core.peerClosed(now(), link);
        } else if (link.outgoing) {
            core.connectFailed(now(), link.remoteAddress);
        }
        after();
    }

    void protocolError(SimLink link, RuntimeException e) {
        closeLink(link, "protocol error: " + e.getMessage());
    }

    /** Closes {@code link} from this side; the core hears of it as a later input, as from the runtime. */
    void closeLink(SimLink link, String reason) {
        sim.network().close(link);
        sim.events().at(now(), () -> remoteClosed(link));
    }

    void connectFailed(InetSocketAddress to) {
        if (alive) {
            core.connectFailed(now(), to);
            after();
        }
    }

    void blockDeparted(SimLink link, Frame.BlockFrame b) {
        stats.uploadedBytes += b.label().lengthBytes();
        if (b.reportSent() && link.connected && alive) {
            core.peerSent(now(), link);
            after();
        }
    }

    void pieceChecked(int index, boolean ok) {
        if (alive) {
            sim.invariants().pieceChecked(this, index, ok);
            core.pieceChecked(now(), index, ok);
            after();
        }
    }

    void addPeers(List<InetSocketAddress> found) {
        if (alive) {
            core.addPeers(now(), found, false);
            after();
        }
    }

    /** When the last byte of a frame of {@code bytes} arriving now is in, given the download capacity. */
    double downlink(long now, int bytes) {
        downlinkFreeAt = Math.max(downlinkFreeAt, now) + Uplink.transmitMillis(bytes, spec.downloadBytesPerSecond());
        return downlinkFreeAt;
    }

    // ---- after every input ----

    private void after() {
        uplink.hold();
        try {
            for (SwarmAction a = core.poll(); a != null && core != null; a = core.poll()) {
                actions.perform(a);
            }
        } finally {
            uplink.release();
        }
        if (core != null) {
            reschedule();
        }
    }

    private void reschedule() {
        long wake = Math.max(core.nextTimerMillis(), now());
        if (wake < scheduledWake) {
            scheduledWake = wake;
            sim.events().at(wake, () -> wake(wake));
        }
    }

    private void wake(long at) {
        if (at != scheduledWake || !alive) {
            return; // superseded by an earlier wake-up
        }
        scheduledWake = Long.MAX_VALUE;
        timerSpins = at == lastTimerAt ? timerSpins + 1 : 0;
        lastTimerAt = at;
        if (timerSpins > TIMER_SPIN_LIMIT) {
            throw new IllegalStateException(address + ": nextTimerMillis() stays at " + at + " after timer(" + at
                    + "): the runtime would spin");
        }
        core.timer(at);
        after();
    }

    /** The core said Completed (which the invariants check against the store). */
    boolean isComplete() {
        return stats.completedAtMillis >= 0;
    }

    @Override
    public String toString() {
        return "peer " + index + " " + address + " " + spec.behaviour();
    }

    List<SimLink> openLinks() {
        return new ArrayList<>(links);
    }

    BlockRequest randomBlock(SplittableRandom random) {
        int piece = random.nextInt(sim.torrent().layout().pieceCount());
        int blocks = (sim.torrent().layout().pieceSize(piece) + BlockRequest.BLOCK_SIZE - 1) / BlockRequest.BLOCK_SIZE;
        int begin = random.nextInt(blocks) * BlockRequest.BLOCK_SIZE;
        return new BlockRequest(piece, begin, Math.min(BlockRequest.BLOCK_SIZE, sim.torrent().layout().pieceSize(piece) - begin));
    }
}
