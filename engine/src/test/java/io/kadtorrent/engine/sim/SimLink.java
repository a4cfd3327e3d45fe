package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.swarm.PeerLink;
import io.kadtorrent.engine.wire.BlockRequest;
import io.netty.channel.embedded.EmbeddedChannel;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * One end of a simulated TCP connection, the {@link PeerLink} its peer's core knows: the frames waiting
 * for the owner's upload link, the decoder for what arrives, and per-direction ordering (TCP delivers
 * in order, so a retransmitted frame holds back the ones after it).
 */
final class SimLink implements PeerLink {

    final SimPeer owner;
    final InetSocketAddress remoteAddress;
    final boolean outgoing;
    final long latencyMillis;
    SimLink remote;

    final ArrayDeque<Frame> outbox = new ArrayDeque<>();
    boolean waitingForUplink;
    /** A {@link BurstUplink} holds this link in its turn queue, or is sending its train. */
    boolean trainQueued;
    /** The production decoder for bytes arriving at this end; set once the remote handshake is in. */
    EmbeddedChannel decoder;
    boolean open = true;
    /** The owner's core was told of the connection ({@code peerConnected}). */
    boolean connected;
    /** When the last frame towards this end arrives: later frames never overtake it. */
    double lastArrivalAt;
    /** {@link Transport#BULK}: the frames arriving together at {@link #arrivingAt} (one event), or null. */
    java.util.List<Frame> arriving;
    long arrivingAt;
    /** {@link Transport#BULK}: arrivals waiting for the downlink; a later one is never delivered before them. */
    int deliveriesPending;

    /**
     * The owner's requests on this link not yet answered, choked away or cancelled, and when each was
     * sent (an invariant's books; one unanswered for 30 s may have been silently taken back by the core).
     */
    final Map<BlockRequest, Long> requestedAt = new HashMap<>();
    /** The core was told the connection ended ({@code peerClosed} or {@code connectFailed}). */
    boolean ended;

    SimLink(SimPeer owner, InetSocketAddress remoteAddress, boolean outgoing, long latencyMillis) {
        this.owner = owner;
        this.remoteAddress = remoteAddress;
        this.outgoing = outgoing;
        this.latencyMillis = latencyMillis;
    }

    /** Drops what was not sent and releases the decoder's buffers. */
    void shut() {
        open = false;
        outbox.clear();
        if (decoder != null) {
            decoder.finishAndReleaseAll();
            decoder = null;
        }
    }

    @Override
    public String toString() {
        return owner.address + (outgoing ? "->" : "<-") + remoteAddress;
    }
}
