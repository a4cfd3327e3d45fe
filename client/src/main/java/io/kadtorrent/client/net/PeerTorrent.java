package io.kadtorrent.client.net;

import io.kadtorrent.client.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;

/**
 * The torrent side of peer connections: what the network layer needs to know about a torrent and
 * the events it reports. Calls for one connection come from that connection's event loop.
 */
public interface PeerTorrent {

    InfoHash infoHash();

    /** The largest frame a peer may send for this torrent, length prefix excluded. */
    int maxFrameBytes();

    /** A handshake completed; return false to refuse the peer (it is closed at once). */
    boolean onOpen(PeerConnection connection);

    void onMessage(PeerConnection connection, PeerMessage message);

    /** The connection's outbound buffer drained below its high-water mark. */
    void onWritable(PeerConnection connection);

    void onClose(PeerConnection connection);
}
