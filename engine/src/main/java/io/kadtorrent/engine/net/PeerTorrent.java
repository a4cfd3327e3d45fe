package io.kadtorrent.engine.net;

import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;

/**
 * Where a torrent's connections report to: what the network layer needs to know about a torrent and
 * the events it hands up. Implementations queue each event for their swarm core and return at once;
 * they never send on the connection from inside these calls. Calls for one connection come from that
 * connection's event loop, in order.
 */
public interface PeerTorrent {

    InfoHash infoHash();

    /** The largest frame a peer may send for this torrent, length prefix excluded. */
    int maxFrameBytes();

    /** The handshake completed. */
    void connected(PeerConnection connection);

    /** A message arrived; the receiver owns it (a {@code Piece}'s block must be released by someone). */
    void received(PeerConnection connection, PeerMessage message);

    /** The connection closed (after {@link #connected}). */
    void closed(PeerConnection connection);
}
