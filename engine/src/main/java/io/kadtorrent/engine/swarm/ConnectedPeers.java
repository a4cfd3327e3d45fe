package io.kadtorrent.engine.swarm;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The swarm core's connected peers in connection order, found by link or by peer_id. Confined to the core's
 * thread; {@link #all} and {@link #byLink} are live views for the core's collaborators to read.
 */
final class ConnectedPeers {

    private final Map<PeerLink, PeerState> peers = new LinkedHashMap<>();
    /**
     * The last link {@link #get} found and its state: a runtime hands over a connection's messages one after
     * another, so most lookups skip the map. Forgotten whenever {@link #peers} gains or loses an entry.
     */
    private PeerLink lastLink;
    private PeerState lastPeer;
    /** The peers not closing, by peer_id: a handshake finds its twin without a walk over every peer. */
    private final Map<ByteBuffer, PeerState> byPeerId = new HashMap<>();

    /** The state of connected {@code link}, or null. */
    PeerState get(PeerLink link) {
        if (link == lastLink) {
            return lastPeer;
        }
        PeerState s = peers.get(link);
        if (s != null) {
            lastLink = link;
            lastPeer = s;
        }
        return s;
    }

    void add(PeerState s) {
        peers.put(s.link, s);
        lastLink = null;
        byPeerId.put(ByteBuffer.wrap(s.peerId), s);
    }

    /** Forgets {@code link}'s peer, whose connection ended; null when it was not connected. */
    PeerState remove(PeerLink link) {
        PeerState s = peers.remove(link);
        lastLink = null;
        lastPeer = null;
        if (s != null) {
            byPeerId.remove(ByteBuffer.wrap(s.peerId), s);
        }
        return s;
    }

    /** A close of {@code s} was asked for: it no longer counts as the peer behind its peer_id. */
    void markClosing(PeerState s) {
        s.closing = true;
        byPeerId.remove(ByteBuffer.wrap(s.peerId), s);
    }

    /** The connected peer with this peer_id, or null. */
    PeerState connectedAs(byte[] peerId) {
        PeerState s = byPeerId.get(ByteBuffer.wrap(peerId));
        return s == null || s.closing ? null : s;
    }

    /** Connected peers, closing ones too (their close is not reported yet). */
    int size() {
        return peers.size();
    }

    /** The peers not asked to close. */
    int open() {
        int open = 0;
        for (PeerState s : peers.values()) {
            open += s.closing ? 0 : 1; // one we asked to close is no peer of ours any more
        }
        return open;
    }

    /** Every connected peer, closing ones too, in connection order (a live view). */
    Collection<PeerState> all() {
        return peers.values();
    }

    /** Every connected peer by its link (a live view, not to be modified). */
    Map<PeerLink, PeerState> byLink() {
        return peers;
    }
}
