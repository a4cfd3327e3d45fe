package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static io.kadtorrent.dht.krpc.AddressFamily.IPV4;
import static io.kadtorrent.dht.krpc.AddressFamily.IPV6;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One host in both DHTs (BEP 32): an IPv4 and an IPv6 engine with the same id, paired. */
class Bep32EngineTest {

    private record Sent(InetSocketAddress to, byte[] datagram) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final long now = 1_000;
    private final SplittableRandom random = new SplittableRandom(5);
    private final NodeId id = NodeId.random(random);
    private final DhtEngine v4 = new DhtEngine(id, IPV4, (to, b) -> sent.add(new Sent(to, b)), new SplittableRandom(1),
            QueryPolicy.DEFAULT, now);
    private final DhtEngine v6 = new DhtEngine(id, IPV6, (to, b) -> sent.add(new Sent(to, b)), new SplittableRandom(2),
            QueryPolicy.DEFAULT, now);
    private final NodeId target = NodeId.random(random);

    private static InetSocketAddress at(String ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ten nodes ping each engine from addresses of its family, so each table holds them. */
    private void fillTables() {
        for (int i = 1; i <= 10; i++) {
            v4.onDatagram(now, at("10.0.0." + i, 6881), KrpcCodec.encode(new KrpcQuery.Ping(TransactionId.of(i), NodeId.random(random), false)));
            v6.onDatagram(now, at("fd00::" + i, 6881), KrpcCodec.encode(new KrpcQuery.Ping(TransactionId.of(i), NodeId.random(random), false)));
        }
        assertEquals(10, v4.routingTable().size());
        assertEquals(10, v6.routingTable().size());
        sent.clear();
    }

    private KrpcResponse ask(DhtEngine engine, InetSocketAddress from, KrpcQuery q) throws Exception {
        sent.clear();
        engine.onDatagram(now, from, KrpcCodec.encode(q));
        assertEquals(1, sent.size());
        return assertInstanceOf(KrpcResponse.class, KrpcCodec.decode(sent.get(0).datagram()));
    }

    private static Set<AddressFamily> families(KrpcResponse r) {
        return Set.copyOf(r.nodes().stream().map(CompactNodeInfo::family).toList());
    }

    private static long count(KrpcResponse r, AddressFamily family) {
        return r.nodes().stream().filter(n -> n.family() == family).count();
    }

    @Test
    void withoutWantAQueryGetsNodesOfTheFamilyItCameOver() throws Exception {
        v4.pairWith(v6);
        fillTables();
        assertEquals(Set.of(IPV4), families(ask(v4, at("10.1.0.1", 1), new KrpcQuery.FindNode(TransactionId.of(1), NodeId.random(random), false, target))));
        assertEquals(Set.of(IPV6), families(ask(v6, at("fd00::99", 1), new KrpcQuery.FindNode(TransactionId.of(1), NodeId.random(random), false, target))));
    }

    @Test
    void wantN4AndN6GetsKNodesOfEachFromAPairedHost() throws Exception {
        v4.pairWith(v6);
        fillTables();
        KrpcResponse both = ask(v6, at("fd00::99", 1),
                new KrpcQuery.FindNode(TransactionId.of(1), NodeId.random(random), false, target, Set.of(IPV4, IPV6)));
        assertEquals(8, count(both, IPV4));
        assertEquals(8, count(both, IPV6));
        KrpcResponse onlyOther = ask(v4, at("10.1.0.1", 1), new KrpcQuery.GetPeers(TransactionId.of(2),
                NodeId.random(random), false, InfoHash.of(target.bytes()), Set.of(IPV6)));
        assertEquals(Set.of(IPV6), families(onlyOther));
        assertTrue(onlyOther.token().isPresent());
    }

    @Test
    void anUnpairedEngineAnswersWantForTheOtherFamilyWithNoNodes() throws Exception {
        fillTables();
        KrpcResponse r = ask(v4, at("10.1.0.1", 1),
                new KrpcQuery.FindNode(TransactionId.of(1), NodeId.random(random), false, target, Set.of(IPV6)));
        assertEquals(List.of(), r.nodes());
    }

    @Test
    void ipv6PeersAreStoredAndHandedOutAs18ByteValues() throws Exception {
        InfoHash hash = InfoHash.of(target.bytes());
        InetSocketAddress peer = at("fd00::42", 7000);
        NodeId peerId = NodeId.random(random);
        Token token = ask(v6, peer, new KrpcQuery.GetPeers(TransactionId.of(1), peerId, false, hash)).token().orElseThrow();
        ask(v6, peer, new KrpcQuery.AnnouncePeer(TransactionId.of(2), peerId, false, hash, 51413, false, token));
        KrpcResponse values = ask(v6, at("fd00::43", 7000), new KrpcQuery.GetPeers(TransactionId.of(3), NodeId.random(random), false, hash));
        assertEquals(List.of(at("fd00::42", 51413)), values.values());
    }

    @Test
    void datagramsOfTheOtherFamilyAreDropped() {
        v6.onDatagram(now, at("10.0.0.1", 6881), KrpcCodec.encode(new KrpcQuery.Ping(TransactionId.of(1), NodeId.random(random), false)));
        assertEquals(List.of(), sent);
        assertEquals(0, v6.routingTable().size());
        assertEquals(1, v6.stats().malformedDropped());
    }

    @Test
    void bootstrapOnlyAsksSeedsOfItsOwnFamily() {
        v6.bootstrap(now, List.of(at("10.0.0.1", 6881), at("fd00::1", 6881)), n -> { });
        assertEquals(List.of(at("fd00::1", 6881)), sent.stream().map(Sent::to).distinct().toList());
    }

    @Test
    void onlyEnginesOfDifferentFamiliesPair() {
        DhtEngine another = new DhtEngine(id, IPV4, (to, b) -> { }, new SplittableRandom(3), QueryPolicy.DEFAULT, now);
        assertThrows(IllegalArgumentException.class, () -> v4.pairWith(another));
    }
}
