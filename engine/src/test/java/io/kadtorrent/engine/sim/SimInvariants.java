package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * What a simulated core must never do, checked as each action is performed (cheap, so on every step):
 * more requests in flight on one connection than the pipeline cap, the same block asked twice on one
 * connection, Completed without every piece verified. The store checks its own (no block written twice,
 * nothing written into a verified piece). A broken one throws; the simulation adds its seed.
 */
final class SimInvariants {

    /** The core's pipeline cap ({@code PeerState.MAX_DEPTH}: libtorrent refuses beyond ~500). */
    static final int MAX_IN_FLIGHT = 250;
    /** The core takes back requests unanswered this long ({@code Downloads.REQUEST_TIMEOUT_MILLIS}). */
    static final long REQUEST_TIMEOUT_MILLIS = 30_000;

    private final SwarmSimulation sim;

    SimInvariants(SwarmSimulation sim) {
        this.sim = sim;
    }

    void requested(SimPeer peer, SimLink link, List<BlockRequest> blocks) {
        long now = peer.now();
        for (BlockRequest b : blocks) {
            Long before = link.requestedAt.put(b, now);
            if (before != null && now - before < REQUEST_TIMEOUT_MILLIS) {
                throw new IllegalStateException(peer + " asked for " + b + " twice on " + link);
            }
        }
        if (link.requestedAt.size() > MAX_IN_FLIGHT) { // requests unanswered that long may have been taken back
            link.requestedAt.values().removeIf(at -> now - at >= REQUEST_TIMEOUT_MILLIS);
        }
        if (link.requestedAt.size() > MAX_IN_FLIGHT) {
            throw new IllegalStateException(peer + " has " + link.requestedAt.size() + " requests in flight on " + link);
        }
    }

    void received(SimPeer peer, SimLink link, PeerMessage m) {
        if (m instanceof PeerMessage.Piece p) {
            link.requestedAt.remove(p.blockRequest());
        } else if (m instanceof PeerMessage.RejectRequest r) {
            link.requestedAt.remove(r.block()); // BEP 6: the block may be asked for again
        } else if (m instanceof PeerMessage.Choke) {
            link.requestedAt.clear(); // BEP 3: a choke discards every pending request (BEP 6: rejects follow)
        }
    }

    void pieceChecked(SimPeer peer, int index, boolean ok) {
        if (!ok) {
            for (SimLink l : peer.links) {
                l.requestedAt.keySet().removeIf(b -> b.pieceIndex() == index);
            }
        }
    }

    void dialled(SimPeer peer, InetSocketAddress to) {
        SimPeer target = sim.peerAt(to);
        if (target != null && peer.stats.banned.contains(target.index)) {
            peer.stats.redialsOfBanned++;
        }
    }

    void banned(SimPeer peer, InetSocketAddress address) {
        SimPeer target = sim.peerAt(address);
        if (target == null) {
            throw new IllegalStateException(peer + " banned " + address + ", which is nobody");
        }
        peer.stats.banned.add(target.index);
    }

    void completed(SimPeer peer) {
        if (!peer.hasWhatItWants()) {
            throw new IllegalStateException(peer + " said Completed with " + peer.store.verifiedCount() + " pieces");
        }
        if (peer.stats.completedAtMillis < 0) {
            peer.stats.completedAtMillis = peer.now();
            sim.completed(peer);
        }
    }
}
