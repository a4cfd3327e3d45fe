package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ItemStore;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.items.PutOutcome;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.ItemReply;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.peers.InfohashSampler;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.peers.TokenIssuer;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The server side of BEP 5, 32, 44 and 51: the reply to each query. Nodes come from the engine's own
 * table (its address family); a BEP 32 {@code want} for the other family is answered from the
 * paired engine's table when this node runs both DHTs. Engine-thread only.
 */
final class QueryResponder {

    private final RoutingTable table;
    private final PeerStore peers;
    private final ItemStore items;
    private final TokenIssuer tokens;
    private final InfohashSampler sampler;
    private final AddressFamily family;
    private RoutingTable otherFamilyTable; // null unless paired with the other family's engine

    QueryResponder(AddressFamily family, RoutingTable table, PeerStore peers, ItemStore items, TokenIssuer tokens,
                   InfohashSampler sampler) {
        this.family = family;
        this.table = table;
        this.peers = peers;
        this.items = items;
        this.tokens = tokens;
        this.sampler = sampler;
    }

    /** From now on a {@code want} of the other family is answered from {@code other} (same thread). */
    void answerOtherFamilyFrom(RoutingTable other) {
        this.otherFamilyTable = other;
    }

    KrpcMessage answer(KrpcQuery query, InetSocketAddress from, long nowMillis) {
        NodeId own = table.ownId();
        if (query instanceof KrpcQuery.FindNode f) {
            return new KrpcResponse(f.transactionId(), own, closest(f.target(), f.want()), List.of(), Optional.empty());
        }
        if (query instanceof KrpcQuery.GetPeers g) {
            // BEP 5: values when we know peers; we always add nodes too, as libtorrent does, so lookups keep converging.
            return new KrpcResponse(g.transactionId(), own, closest(NodeId.of(g.infoHash()), g.want()),
                    peers.values(g.infoHash(), nowMillis), Optional.of(tokens.issue(from.getAddress())));
        }
        if (query instanceof KrpcQuery.AnnouncePeer a) {
            return announce(a, from, nowMillis);
        }
        if (query instanceof KrpcQuery.Get g) {
            // BEP 44: like get_peers, always nodes and a token, plus the item when we hold it.
            return new KrpcResponse(g.transactionId(), own, closest(g.target()), List.of(),
                    Optional.of(tokens.issue(from.getAddress())), itemReply(g, nowMillis), Optional.empty());
        }
        if (query instanceof KrpcQuery.Put p) {
            return put(p, from, nowMillis);
        }
        if (query instanceof KrpcQuery.SampleInfohashes si) {
            return new KrpcResponse(si.transactionId(), own, closest(si.target()), List.of(), Optional.empty(),
                    Optional.empty(), Optional.of(sampler.sample(nowMillis)));
        }
        return KrpcResponse.ofId(query.transactionId(), own);
    }

    private Optional<ItemReply> itemReply(KrpcQuery.Get g, long nowMillis) {
        Optional<DhtItem> stored = items.get(g.target(), nowMillis);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!(stored.get() instanceof MutableItem m)) {
            return Optional.of(ItemReply.immutable(stored.get().value()));
        }
        // BEP 44: with seq in the get, only send the item if ours is newer; else say which seq we hold.
        boolean newer = g.seq().isEmpty() || m.seq() > g.seq().getAsLong();
        return Optional.of(newer ? ItemReply.mutable(m) : ItemReply.seqOnly(m.seq()));
    }

    private KrpcMessage put(KrpcQuery.Put p, InetSocketAddress from, long nowMillis) {
        // BEP 44: the write token works as for announce_peer.
        if (!tokens.isValid(p.token(), from.getAddress())) {
            return new KrpcError(p.transactionId(), KrpcError.PROTOCOL, "bad token");
        }
        PutOutcome outcome = items.put(p.item(), p.cas(), nowMillis);
        if (outcome != PutOutcome.STORED) {
            return new KrpcError(p.transactionId(), outcome.code(), outcome.message());
        }
        return KrpcResponse.ofId(p.transactionId(), table.ownId());
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
        return table.closestCompact(target, Lookup.K);
    }

    /**
     * BEP 32: without {@code want}, nodes of the family the query came over (our own table); with
     * it, K nodes of each family named, from the table of that family if we run it.
     */
    private List<CompactNodeInfo> closest(NodeId target, Set<AddressFamily> want) {
        if (want.isEmpty()) {
            return closest(target);
        }
        List<CompactNodeInfo> out = new ArrayList<>();
        if (want.contains(family)) {
            out.addAll(closest(target));
        }
        if (want.contains(family.other()) && otherFamilyTable != null) {
            out.addAll(otherFamilyTable.closestCompact(target, Lookup.K));
        }
        return out;
    }
}
