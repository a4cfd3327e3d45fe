package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.OptionalLong;
import java.util.Set;

/**
 * The four BEP 5 queries, BEP 44's get and put and BEP 51's sample_infohashes. {@code readOnly} is BEP 43's {@code ro=1}: the sender answers no
 * queries, so it must never enter a routing table.
 */
public sealed interface KrpcQuery extends KrpcMessage {

    NodeId sender();

    boolean readOnly();

    /** The {@code q} value. */
    String method();

    /** This query as a BEP 43 read-only node sends it: the same, with {@code ro=1}. */
    KrpcQuery asReadOnly();

    record Ping(TransactionId transactionId, NodeId sender, boolean readOnly) implements KrpcQuery {
        @Override
        public String method() {
            return "ping";
        }

        @Override
        public Ping asReadOnly() {
            return new Ping(transactionId, sender, true);
        }
    }

    /**
     * @param want BEP 32: the families whose nodes the reply should carry ({@code n4}, {@code n6});
     *             empty when absent, which asks for the family the query travelled over
     */
    record FindNode(TransactionId transactionId, NodeId sender, boolean readOnly, NodeId target,
                    Set<AddressFamily> want) implements KrpcQuery {
        public FindNode {
            want = Set.copyOf(want);
        }

        /** Without {@code want}. */
        public FindNode(TransactionId transactionId, NodeId sender, boolean readOnly, NodeId target) {
            this(transactionId, sender, readOnly, target, Set.of());
        }

        @Override
        public String method() {
            return "find_node";
        }

        @Override
        public FindNode asReadOnly() {
            return new FindNode(transactionId, sender, true, target, want);
        }
    }

    /** @param want as in {@link FindNode}: BEP 32 lets get_peers ask for {@code n4} and {@code n6} too */
    record GetPeers(TransactionId transactionId, NodeId sender, boolean readOnly, InfoHash infoHash,
                    Set<AddressFamily> want) implements KrpcQuery {
        public GetPeers {
            want = Set.copyOf(want);
        }

        /** Without {@code want}. */
        public GetPeers(TransactionId transactionId, NodeId sender, boolean readOnly, InfoHash infoHash) {
            this(transactionId, sender, readOnly, infoHash, Set.of());
        }

        @Override
        public String method() {
            return "get_peers";
        }

        @Override
        public GetPeers asReadOnly() {
            return new GetPeers(transactionId, sender, true, infoHash, want);
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

        @Override
        public AnnouncePeer asReadOnly() {
            return new AnnouncePeer(transactionId, sender, true, infoHash, port, impliedPort, token);
        }
    }

    /**
     * BEP 44 get: the item stored under {@code target}, plus nodes near it and a write token.
     *
     * @param seq only send a mutable item whose seq is greater than this (BEP 44)
     */
    record Get(TransactionId transactionId, NodeId sender, boolean readOnly, NodeId target,
               OptionalLong seq) implements KrpcQuery {
        @Override
        public String method() {
            return "get";
        }

        @Override
        public Get asReadOnly() {
            return new Get(transactionId, sender, true, target, seq);
        }
    }

    /**
     * BEP 44 put: store {@code item} (its target is implied by its value or key and salt).
     *
     * @param cas for a mutable item, the seq the sender expects to replace (compare and swap)
     */
    record Put(TransactionId transactionId, NodeId sender, boolean readOnly, Token token, DhtItem item,
               OptionalLong cas) implements KrpcQuery {
        @Override
        public String method() {
            return "put";
        }

        @Override
        public Put asReadOnly() {
            return new Put(transactionId, sender, true, token, item, cas);
        }
    }

    /** BEP 51 sample_infohashes: a sample of the info_hashes the node stores peers for, plus nodes near {@code target}. */
    record SampleInfohashes(TransactionId transactionId, NodeId sender, boolean readOnly, NodeId target)
            implements KrpcQuery {
        @Override
        public String method() {
            return "sample_infohashes";
        }

        @Override
        public SampleInfohashes asReadOnly() {
            return new SampleInfohashes(transactionId, sender, true, target);
        }
    }
}
