package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.swarm.AddressBook.Origin;
import io.kadtorrent.engine.wire.Handshake;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/**
 * The connection lifecycle of the swarm core's peers: which addresses to dial, which handshakes to admit,
 * whom to close or ban. Peer sources only offer addresses; this decides within the peer and half-open
 * limits. Confined to the core's thread.
 */
final class Connections implements PeerVerdict {

    private final SwarmConfig config;
    private final ConnectedPeers peers;
    private final Outbox out;
    private final AddressBook addresses = new AddressBook();
    private final PeerBans bans = new PeerBans();
    private Downloads downloads; // null until storage is ready
    private boolean paused;
    private boolean stopped;

    Connections(SwarmConfig config, ConnectedPeers peers, Outbox out) {
        this.config = config;
        this.peers = peers;
        this.out = out;
    }

    /** Storage is open: a closed peer's requests in flight go back to {@code d}. */
    void downloadsStarted(Downloads d) {
        this.downloads = d;
    }

    /** The connected peers this admits and closes. */
    ConnectedPeers peers() {
        return peers;
    }

    boolean isStopped() {
        return stopped;
    }

    private boolean isComplete() {
        return downloads != null && downloads.isComplete();
    }

    // ---- addresses and dialling ----

    /** Addresses from a source; {@code fromUser} ones (CLI, magnet x.pe) are never forgotten. */
    void offer(long now, Collection<InetSocketAddress> found, boolean fromUser) {
        for (InetSocketAddress a : found) {
            if (!bans.isBanned(a)) {
                addresses.offer(a, fromUser ? Origin.USER : Origin.FOUND, now);
            }
        }
        dial(now);
    }

    /** Dialling {@code address} failed (refused, timed out, or closed before the handshake). */
    void failed(long now, InetSocketAddress address) {
        addresses.failed(address, now);
        dial(now);
    }

    void dial(long now) {
        int room = dialRoom();
        if (room <= 0) {
            return;
        }
        for (InetSocketAddress a : addresses.takeDue(now, room, isComplete())) {
            out.add(new SwarmAction.Connect(a));
        }
    }

    /** When an address is next due to be dialled; never while there is no room to dial (else a timer would spin). */
    long nextDialAt() {
        return dialRoom() > 0 ? addresses.nextDueAt(isComplete()) : Long.MAX_VALUE;
    }

    /** How many more addresses may be dialled now (peer and half-open limits). */
    private int dialRoom() {
        if (stopped || paused) {
            return 0;
        }
        return Math.min(config.maxPeers() - peers.size() - addresses.connecting(),
                config.maxHalfOpen() - addresses.connecting());
    }

    /** True while the core would dial more peers than it knows addresses for. */
    boolean needsPeers() {
        return !stopped && !paused && peers.size() + addresses.connecting() + addresses.dialable(isComplete())
                < config.maxPeers();
    }

    boolean isBanned(InetSocketAddress address) {
        return bans.isBanned(address) || addresses.isBanned(address);
    }

    // ---- pausing ----

    /** Closes every connection and dials nothing until {@link #resume}. */
    void pause() {
        paused = true;
        closeAll("paused");
    }

    void resume(long now) {
        paused = false;
        dial(now);
    }

    /** Closes every connection and admits or dials none ever after. */
    void stop() {
        closeAll("torrent removed");
        stopped = true;
    }

    private void closeAll(String reason) {
        for (PeerState s : List.copyOf(peers.all())) {
            close(s, reason, false);
        }
    }

    // ---- connections ----

    /**
     * A handshake completed: the new peer's state, or null when it is refused (a {@link SwarmAction.Close} for
     * it is queued). A twin connection to the same peer is closed when the new one replaces it.
     * {@code needsMetadata}: a magnet without its metadata yet, which only BEP 10 peers can give.
     */
    PeerState admit(long now, PeerLink link, InetSocketAddress address, Handshake remote, boolean outgoing,
                    boolean needsMetadata) {
        byte[] peerId = remote.peerId();
        if (outgoing) {
            addresses.connected(address);
        }
        String refusal = refusal(address, peerId, remote.supportsExtensionProtocol(), needsMetadata);
        PeerState twin = refusal == null ? peers.connectedAs(peerId) : null;
        if (twin != null && !replaces(twin, outgoing)) {
            refusal = "already connected to this peer";
        }
        if (refusal != null) {
            out.add(new SwarmAction.Close(link, refusal, false));
            if (outgoing && bans.isBanned(address, peerId)) {
                addresses.ban(address); // banned by peer_id on another address: never dial this one again
            } else if (outgoing && twin != null && !twin.outgoing
                    && (twin.heldListenAddress == null || twin.heldListenAddress.equals(address))) {
                twin.heldListenAddress = address; // the peer that dialled us listens here: held while it stays
            } else if (outgoing && twin != null) {
                addresses.duplicate(address, now);
            } else if (outgoing) {
                addresses.closed(address, now, false);
            }
            return null;
        }
        if (twin != null) {
            close(twin, "a second connection to the same peer replaces this one", false);
        }
        PeerState s = new PeerState(link, address, peerId, outgoing, now);
        if (twin != null && !outgoing) {
            s.heldListenAddress = twin.address; // it replaces the one we dialled: that address is still its own
        }
        s.fast = remote.supportsFast(); // ours always offers it
        peers.add(s);
        return s;
    }

    /**
     * Whether a new connection to the peer behind {@code twin} should replace it. When two peers dial each
     * other at once, both sides must keep the same one: the connection opened by the smaller peer_id.
     * Without our own peer_id, or when both go the same way, the older one stays.
     */
    private boolean replaces(PeerState twin, boolean newIsOutgoing) {
        if (config.ourPeerId().isEmpty() || twin.outgoing == newIsOutgoing) {
            return false;
        }
        boolean weAreSmaller = config.ourPeerId().compareTo(HexFormat.of().formatHex(twin.peerId)) < 0;
        return newIsOutgoing == weAreSmaller; // keep the one the smaller side opened
    }

    private String refusal(InetSocketAddress address, byte[] peerId, boolean extensionProtocol,
                           boolean needsMetadata) {
        if (stopped || paused) {
            return stopped ? "torrent removed" : "torrent paused";
        }
        if (bans.isBanned(address, peerId) || addresses.isBanned(address)) {
            return "banned";
        }
        if (peers.size() >= config.maxPeers()) {
            return "peer limit of " + config.maxPeers() + " reached";
        }
        if (needsMetadata && !extensionProtocol) {
            return "no BEP 10, so no metadata from this peer"; // a magnet needs BEP 9
        }
        return null;
    }

    /** The connection on {@code link} ended: its peer is forgotten (returned; null when it was unknown). */
    PeerState closed(PeerLink link) {
        PeerState s = peers.remove(link);
        if (s != null) {
            bans.forget(link);
        }
        return s;
    }

    /**
     * A peer is gone: where it accepts connections (the address we dialled, or the one held for a peer that
     * dialled us) may be dialled again, later when it was a {@code seed}; not while a twin connection to the
     * same peer holds that address.
     */
    void redialLater(long now, PeerState s, boolean seed) {
        InetSocketAddress listen = heldAddress(s);
        PeerState twin = peers.connectedAs(s.peerId);
        if (listen != null && (twin == null || !listen.equals(heldAddress(twin)))) {
            addresses.closed(listen, now, seed);
        }
    }

    /** The address book entry a connection holds: the address we dialled, or where a peer that dialled us listens. */
    private static InetSocketAddress heldAddress(PeerState s) {
        return s.outgoing ? s.address : s.heldListenAddress;
    }

    /**
     * A peer that dialled us told its listen port (BEP 10 {@code p}): that address is not dialled while this
     * connection lasts, as a source (DHT, PEX, tracker) will soon offer it.
     */
    void heardListenPort(long now, PeerState s) {
        if (s.outgoing || s.closing || s.heldListenAddress != null) {
            return;
        }
        InetSocketAddress listen = PeerExchange.listenAddress(s);
        if (listen != null && addresses.connectedIncoming(listen, now)) {
            s.heldListenAddress = listen;
        }
    }

    /** Queues the close of {@code s}; the core forgets it when the runtime reports the close. */
    void close(PeerState s, String reason, boolean misbehaved) {
        if (s.closing) {
            return;
        }
        peers.markClosing(s);
        if (downloads != null) {
            downloads.dropInFlight(s);
        }
        out.add(new SwarmAction.Close(s.link, reason, misbehaved));
    }

    /** Drops a peer that misbehaved: closed, and banned when {@code ban}. */
    @Override
    public void drop(PeerState s, String reason, boolean ban) {
        close(s, reason, true);
        if (ban) {
            ban(s);
        }
    }

    /** Closes each peer of {@code contributors} that sent data failing a piece's hash, and bans it. */
    void blame(List<PeerLink> contributors, int piece) {
        for (PeerLink c : bans.blame(contributors)) {
            PeerState s = peers.byLink().get(c);
            if (s != null) {
                drop(s, "sent data for piece " + piece + " that failed its SHA-1: banned", true);
            }
        }
    }

    private void ban(PeerState s) {
        // several of its pieces can fail their hash before its close is done: it is reported banned once
        boolean already = bans.isBanned(s.address, s.peerId);
        bans.ban(s.address, s.peerId);
        // where it accepts connections: the address we dialled, or the port its BEP 10 handshake told us,
        // which peer exchange or the DHT may offer us later
        InetSocketAddress listen = PeerExchange.listenAddress(s);
        if (listen != null) {
            addresses.ban(listen);
        }
        if (s.heldListenAddress != null) {
            addresses.ban(s.heldListenAddress); // where a dial of ours reached it, if it never told a port
        }
        if (!already) {
            out.add(new SwarmAction.Banned(s.address));
        }
    }

    /** The connected peers' addresses and what we know of each, for status displays. */
    List<PeerInfo> infos(long now) {
        List<PeerInfo> infos = new ArrayList<>(peers.size());
        for (PeerState s : peers.all()) {
            if (s.closing) {
                continue; // asked to close: no longer a peer of ours, though its close is not reported yet
            }
            Origin origin = s.outgoing ? addresses.originOf(s.address) : null;
            String source = !s.outgoing ? PeerInfo.INCOMING : origin == Origin.USER ? PeerInfo.GIVEN : PeerInfo.FOUND;
            infos.add(new PeerInfo(s.address, s.outgoing, s.pieces.cardinality(), (long) s.rateBytesPerSecond(),
                    s.uploadRate.bytesPerSecond(now), s.amChoking, s.peerChoking, s.peerId.clone(), source,
                    s.link.isEncrypted()));
        }
        return infos;
    }
}
