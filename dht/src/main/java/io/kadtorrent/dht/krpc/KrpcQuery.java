package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;

/**
 * The four BEP 5 queries. {@code readOnly} is BEP 43's {@code ro=1}: the sender answers no
 * queries, so it must never enter a routing table.
 */
public sealed interface KrpcQuery extends KrpcMessage {

    NodeId sender();

    boolean readOnly();

    /** The {@code q} value. */
    String method();

    record Ping(TransactionId transactionId, NodeId sender, boolean readOnly) implements KrpcQuery {
        @Override
        public String method() {
            return "ping";
        }
    }

    record FindNode(TransactionId transactionId, NodeId sender, boolean readOnly, NodeId target) implements KrpcQuery {
        @Override
        public String method() {
            return "find_node";
        }
    }

    record GetPeers(TransactionId transactionId, NodeId sender, boolean readOnly, InfoHash infoHash) implements KrpcQuery {
        @Override
        public String method() {
            return "get_peers";
        }
    }

    /**
     * @param port        the TCP port announced; ignored by the receiver when {@code impliedPort}
     * @param impliedPort BEP 5: use the UDP source port of this datagram instead of {@code port}
     */
    record AnnouncePeer(TransactionId transactionId, NodeId sender, boolean readOnly, InfoHash infoHash,
                        int port, boolean impliedPort, Token token) implements KrpcQuery {
        public AnnouncePeer {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be 0..65535");
            }
        }

        @Override
        public String method() {
            return "announce_peer";
        }
    }
}
