package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcDecodeException;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What a hostile node answers to find_node and get_peers (issue 16, item 4): a huge {@code nodes}
 * list of ids claiming to sit right next to the target at addresses where nobody answers, ids of
 * real nodes' neighbours at real nodes' addresses, duplicates, the querier's own id and unroutable
 * addresses. It never returns values.
 */
final class PoisonedReplies {

    /** About 52 KB of compact node info: as much as a 64 KiB datagram holds with room to spare. */
    static final int ENTRIES = 2_000;

    private final SplittableRandom random;
    private final Supplier<InetSocketAddress> realAddress;

    PoisonedReplies(SplittableRandom random, Supplier<InetSocketAddress> realAddress) {
        this.random = random;
        this.realAddress = realAddress;
    }

    /** The encoded poisoned reply to {@code datagram}, or empty when it is no query or one answered honestly. */
    Optional<byte[]> answer(byte[] datagram, NodeId own) {
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            return Optional.empty();
        }
        return m instanceof KrpcQuery q ? answer(q, own).map(KrpcCodec::encode) : Optional.empty();
    }

    /** The poisoned reply to {@code query}, or empty for queries answered honestly (ping, announce_peer). */
    Optional<KrpcResponse> answer(KrpcQuery query, NodeId own) {
        NodeId target;
        if (query instanceof KrpcQuery.FindNode f) {
            target = f.target();
        } else if (query instanceof KrpcQuery.GetPeers g) {
            target = NodeId.of(g.infoHash());
        } else {
            return Optional.empty();
        }
        List<CompactNodeInfo> nodes = new ArrayList<>(ENTRIES);
        while (nodes.size() < ENTRIES) {
            NodeId near = NodeId.randomWithPrefix(target, 120 + random.nextInt(40), random);
            switch (random.nextInt(8)) {
                case 0 -> nodes.add(new CompactNodeInfo(query.sender(), nowhere())); // the querier itself
                case 1 -> nodes.add(new CompactNodeInfo(near, realAddress.get())); // a real node under a false id
                case 2 -> nodes.add(new CompactNodeInfo(near, ip(new byte[]{0, 0, 0, 0}, 6881))); // unroutable
                case 3 -> nodes.add(new CompactNodeInfo(near, ip(new byte[]{(byte) 224, 0, 0, 1}, 6881)));
                case 4 -> { // one id at two addresses, one address under two ids
                    InetSocketAddress a = nowhere();
                    nodes.add(new CompactNodeInfo(near, a));
                    nodes.add(new CompactNodeInfo(near, nowhere()));
                    nodes.add(new CompactNodeInfo(NodeId.randomWithPrefix(target, 140, random), a));
                }
                default -> nodes.add(new CompactNodeInfo(near, nowhere())); // close, but nobody answers
            }
        }
        Optional<Token> token = query instanceof KrpcQuery.GetPeers ? Optional.of(new Token(new byte[]{1, 2, 3, 4}))
                : Optional.empty();
        return Optional.of(new KrpcResponse(query.transactionId(), own, nodes, List.of(), token));
    }

    /** A loopback address no simulated node uses (they live below 127.128.0.0). */
    private InetSocketAddress nowhere() {
        return ip(new byte[]{127, (byte) (128 + random.nextInt(127)), (byte) random.nextInt(256),
                (byte) random.nextInt(256)}, 1 + random.nextInt(65_535));
    }

    private static InetSocketAddress ip(byte[] ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
