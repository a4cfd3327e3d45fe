package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.peers.TokenIssuer;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** The server side of BEP 5: the reply to each of the four queries. Engine-thread only. */
final class QueryResponder {

    private final RoutingTable table;
    private final PeerStore peers;
    private final TokenIssuer tokens;

    QueryResponder(RoutingTable table, PeerStore peers, TokenIssuer tokens) {
        this.table = table;
        this.peers = peers;
        this.tokens = tokens;
    }

    KrpcMessage answer(KrpcQuery query, InetSocketAddress from, long nowMillis) {
        NodeId own = table.ownId();
        if (query instanceof KrpcQuery.FindNode f) {
            return new KrpcResponse(f.transactionId(), own, closest(f.target()), List.of(), Optional.empty());
        }
        if (query instanceof KrpcQuery.GetPeers g) {
            // BEP 5: values when we know peers; we always add nodes too, as libtorrent does, so lookups keep converging.
            return new KrpcResponse(g.transactionId(), own, closest(NodeId.of(g.infoHash())),
                    peers.values(g.infoHash(), nowMillis), Optional.of(tokens.issue(from.getAddress())));
        }
        if (query instanceof KrpcQuery.AnnouncePeer a) {
            return announce(a, from, nowMillis);
        }
        return KrpcResponse.ofId(query.transactionId(), own);
    }

    private KrpcMessage announce(KrpcQuery.AnnouncePeer a, InetSocketAddress from, long nowMillis) {
        if (!tokens.isValid(a.token(), from.getAddress())) {
            return new KrpcError(a.transactionId(), KrpcError.PROTOCOL, "bad token");
        }
        // BEP 5: with implied_port the peer's port is the UDP source port (it may sit behind a NAT).
        int port = a.impliedPort() ? from.getPort() : a.port();
        InfoHash infoHash = a.infoHash();
        if (!peers.add(infoHash, new InetSocketAddress(from.getAddress(), port), nowMillis)) {
            return new KrpcError(a.transactionId(), KrpcError.SERVER, "peer store full");
        }
        return KrpcResponse.ofId(a.transactionId(), table.ownId());
    }

    private List<CompactNodeInfo> closest(NodeId target) {
        return table.closest(target, Lookup.K).stream().map(Contact::toCompact).toList();
    }
}
