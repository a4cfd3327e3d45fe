package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.ItemReply;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhtEngineTest {

    private record Sent(InetSocketAddress to, byte[] datagram) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private long now = 1_000;
    private final DhtEngine engine = new DhtEngine(NodeId.random(new SplittableRandom(1)),
            (to, bytes) -> sent.add(new Sent(to, bytes)), new SplittableRandom(2), now);
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 7000);
    private final NodeId peerId = NodeId.random(new SplittableRandom(3));
    private final InfoHash hash = InfoHash.of(new byte[20]);

    private KrpcMessage ask(KrpcQuery q, InetSocketAddress from) throws Exception {
        sent.clear();
        engine.onDatagram(now, from, KrpcCodec.encode(q));
        assertEquals(1, sent.size());
        assertEquals(from, sent.get(0).to);
        return KrpcCodec.decode(sent.get(0).datagram);
    }

    @Test
    void answersPingAndRemembersTheQuerier() throws Exception {
        KrpcResponse r = assertInstanceOf(KrpcResponse.class, ask(new KrpcQuery.Ping(TransactionId.of(7), peerId, false), peer));
        assertEquals(engine.ownId(), r.sender());
        assertEquals(TransactionId.of(7), r.transactionId());
        assertEquals(1, engine.routingTable().size());
    }

    @Test
    void readOnlyQueriersNeverEnterTheRoutingTable() throws Exception {
        ask(new KrpcQuery.Ping(TransactionId.of(7), peerId, true), peer);
        assertEquals(0, engine.routingTable().size());
    }

    @Test
    void aReadOnlyQuerierIsAnsweredButNeverReturnedInNodes() throws Exception {
        InetSocketAddress other = new InetSocketAddress("127.0.0.2", 7002);
        NodeId otherId = NodeId.random(new SplittableRandom(4));
        assertInstanceOf(KrpcResponse.class, ask(new KrpcQuery.Ping(TransactionId.of(1), peerId, true), peer));
        KrpcResponse r = (KrpcResponse) ask(new KrpcQuery.FindNode(TransactionId.of(2), otherId, false, peerId), other);
        assertEquals(List.of(otherId), r.nodes().stream().map(CompactNodeInfo::id).toList(),
                "BEP 43: only the node that is not read-only is known and handed on");
    }

    @Test
    void aReadOnlyEngineMarksEveryQueryRoAndAnswersNone() throws Exception {
        engine.enterReadOnlyState();
        engine.bootstrap(now, List.of(peer), n -> { });
        KrpcQuery sentQuery = (KrpcQuery) decode(sent.get(0).datagram);
        assertTrue(sentQuery.readOnly(), "BEP 43: ro=1 in every query");
        engine.onDatagram(now, peer, KrpcCodec.encode(KrpcResponse.ofId(sentQuery.transactionId(), peerId)));
        engine.getPeers(now, hash, p -> { }, r -> { });
        assertTrue(((KrpcQuery) decode(sent.get(sent.size() - 1).datagram)).readOnly());
        sent.clear();
        engine.onDatagram(now, peer, KrpcCodec.encode(new KrpcQuery.Ping(TransactionId.of(9), peerId, false)));
        assertTrue(sent.isEmpty(), "BEP 43: a read-only node answers no query");
    }

    @Test
    void announceNeedsTheTokenIssuedToThatIp() throws Exception {
        KrpcResponse got = (KrpcResponse) ask(new KrpcQuery.GetPeers(TransactionId.of(1), peerId, false, hash), peer);
        Token token = got.token().orElseThrow();
        KrpcError bad = assertInstanceOf(KrpcError.class, ask(new KrpcQuery.AnnouncePeer(TransactionId.of(2), peerId,
                false, hash, 6881, false, new Token(new byte[]{1, 2, 3})), peer));
        assertEquals(KrpcError.PROTOCOL, bad.code());
        InetSocketAddress otherIp = new InetSocketAddress("127.0.0.2", 7000);
        assertInstanceOf(KrpcError.class, ask(new KrpcQuery.AnnouncePeer(TransactionId.of(3), peerId, false, hash,
                6881, false, token), otherIp));
        assertInstanceOf(KrpcResponse.class, ask(new KrpcQuery.AnnouncePeer(TransactionId.of(4), peerId, false, hash,
                6881, true, token), peer));
        KrpcResponse values = (KrpcResponse) ask(new KrpcQuery.GetPeers(TransactionId.of(5), peerId, false, hash), peer);
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 7000)), values.values(), "implied_port uses the UDP port");
    }

    @Test
    void malformedDatagramsAreCountedAndBadQueriesGetAnError() throws Exception {
        engine.onDatagram(now, peer, "not bencode".getBytes(ISO_8859_1));
        assertTrue(sent.isEmpty());
        KrpcError e = assertInstanceOf(KrpcError.class, KrpcCodec.decode(send("d1:ad2:id2:xxe1:q4:ping1:t2:aa1:y1:qe")));
        assertEquals(KrpcError.PROTOCOL, e.code());
        assertEquals(2, engine.stats().malformedDropped());
    }

    @Test
    void repliesFromAnAddressOtherThanTheQueriedOneAreDropped() {
        engine.findNode(now, peerId, r -> { });
        assertTrue(sent.isEmpty(), "empty table: nothing to ask");
        engine.bootstrap(now, List.of(peer), n -> { });
        KrpcQuery q = (KrpcQuery) decode(sent.get(0).datagram);
        KrpcResponse reply = KrpcResponse.ofId(q.transactionId(), peerId);
        engine.onDatagram(now, new InetSocketAddress("127.0.0.1", 7001), KrpcCodec.encode(reply));
        assertEquals(1, engine.stats().unmatchedRepliesDropped());
        assertEquals(0, engine.routingTable().size());
        engine.onDatagram(now, peer, KrpcCodec.encode(reply));
        assertEquals(1, engine.routingTable().size());
    }

    @Test
    void floodOfQueriesFromManyAddressesKeepsEveryStructureBounded() {
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < 200_000; i++) {
            now += random.nextInt(3);
            int ip = random.nextInt(1 << 20);
            InetSocketAddress from = new InetSocketAddress("10." + (ip >> 12) + "." + (ip >> 4 & 255) + "." + (ip & 15),
                    1 + random.nextInt(60_000));
            NodeId id = NodeId.random(random);
            InfoHash h = InfoHash.of(NodeId.random(random).bytes());
            KrpcQuery q = switch (random.nextInt(3)) {
                case 0 -> new KrpcQuery.FindNode(TransactionId.of(i), id, false, id);
                case 1 -> new KrpcQuery.GetPeers(TransactionId.of(i), id, false, h);
                default -> new KrpcQuery.AnnouncePeer(TransactionId.of(i), id, false, h, 1 + random.nextInt(60_000), false,
                        tokenFor(from));
            };
            sent.clear();
            engine.onDatagram(now, from, KrpcCodec.encode(q));
            engine.onTimer(now);
        }
        DhtEngine.Footprint f = engine.footprint();
        assertTrue(f.contacts() <= 160 * 8 && f.replacements() <= 160 * 8, f.toString());
        assertTrue(f.pendingQueries() <= 16, f.toString());
        assertTrue(f.torrents() <= PeerStore.MAX_TORRENTS && f.peers() <= PeerStore.MAX_PEERS_TOTAL, f.toString());
        assertTrue(f.rateLimitedAddresses() <= AddressRateLimit.MAX_TRACKED, f.toString());
        engine.routingTable().checkInvariants();
    }

    @Test
    void oneFlooderIsRateLimitedWhileOthersAreStillServed() throws Exception {
        for (int i = 0; i < 1_000; i++) {
            engine.onDatagram(now, peer, KrpcCodec.encode(new KrpcQuery.Ping(TransactionId.of(i), peerId, false)));
        }
        assertEquals(1_000 - (long) AddressRateLimit.BURST, engine.stats().rateLimitedDropped(), engine.stats().toString());
        assertInstanceOf(KrpcResponse.class, ask(new KrpcQuery.Ping(TransactionId.of(1), peerId, false),
                new InetSocketAddress("127.0.0.9", 9)));
    }

    /**
     * One IP floods as fast as it can (100 queries per virtual millisecond, for 10 s), from a new source
     * port each time, as a spoofer forging one victim's address would: it is limited as one source, while
     * an honest node querying ten times a second from another IP is answered every time, and the limiter
     * remembers two addresses, not one per port.
     */
    @Test
    void floodFromOneIpOverManyPortsIsLimitedAsOneSourceAndAnHonestNodeIsStillAnswered() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        InetSocketAddress honest = new InetSocketAddress("127.0.0.9", 6881);
        long start = now;
        Flood flood = new Flood();
        int honestAsked = 0;
        for (int ms = 0; ms < 10_000; ms++) {
            now = start + ms;
            for (int i = 0; i < 100; i++) {
                InetSocketAddress from = new InetSocketAddress("127.0.0.1", 1 + random.nextInt(65_535));
                NodeId target = NodeId.random(random);
                flood.send(from, random.nextBoolean()
                        ? new KrpcQuery.FindNode(TransactionId.of(i), target, false, target)
                        : new KrpcQuery.GetPeers(TransactionId.of(i), target, false, InfoHash.of(target.bytes())));
            }
            engine.onTimer(now);
            if (ms % 100 == 0) {
                KrpcQuery q = honestAsked % 2 == 0
                        ? new KrpcQuery.GetPeers(TransactionId.of(ms), peerId, false, hash)
                        : new KrpcQuery.FindNode(TransactionId.of(ms), peerId, false, peerId);
                sent.clear();
                engine.onDatagram(now, honest, KrpcCodec.encode(q));
                List<KrpcMessage> toHonest = sent.stream().filter(m -> m.to.equals(honest)).map(m -> decode(m.datagram))
                        .toList(); // the engine may also ping a questionable contact; that goes elsewhere
                assertEquals(1, toHonest.size(), "honest query at " + ms + " ms");
                KrpcResponse r = assertInstanceOf(KrpcResponse.class, toHonest.get(0));
                assertEquals(q.transactionId(), r.transactionId());
                honestAsked++;
            }
        }
        assertEquals(100, honestAsked);
        long allowed = (long) (AddressRateLimit.BURST + AddressRateLimit.QUERIES_PER_SECOND * 10);
        assertTrue(flood.answers <= allowed, flood.answers + " flood queries answered, at most " + allowed);
        assertTrue(flood.bytesOut < flood.bytesIn / 100, "reflected " + flood.bytesOut + " bytes of " + flood.bytesIn);
        assertEquals(1_000_000 - flood.answers, engine.stats().rateLimitedDropped(), engine.stats().toString());
        assertTrue(engine.footprint().rateLimitedAddresses() <= 2, engine.footprint().toString());
    }

    /**
     * A flood from 200,000 forged IPs (far more than the per-IP table remembers, so each would get a fresh
     * burst), 20 queries per virtual millisecond for 10 s: the node answers strangers at most at the global
     * rate, while a contact that answered our bootstrap query is answered every time it asks, ten times a second.
     */
    @Test
    void floodFromManyForgedIpsIsBoundedGloballyAndAKnownContactIsStillAnswered() throws Exception {
        engine.bootstrap(now, List.of(peer), n -> { });
        KrpcQuery ours = (KrpcQuery) decode(sent.get(0).datagram);
        engine.onDatagram(now, peer, KrpcCodec.encode(KrpcResponse.ofId(ours.transactionId(), peerId)));
        assertTrue(engine.routingTable().hasAnswered(new Contact(peerId, peer)));
        SplittableRandom random = new SplittableRandom(13);
        long start = now;
        Flood flood = new Flood();
        int knownAnswered = 0;
        for (int ms = 0; ms < 10_000; ms++) {
            now = start + ms;
            for (int i = 0; i < 20; i++) {
                int ip = random.nextInt(200_000);
                InetSocketAddress from = new InetSocketAddress("10." + (ip >> 16) + "." + (ip >> 8 & 255) + "." + (ip & 255),
                        1 + random.nextInt(65_535));
                NodeId target = NodeId.random(random);
                flood.send(from, new KrpcQuery.GetPeers(TransactionId.of(i), target, false, InfoHash.of(target.bytes())));
            }
            engine.onTimer(now);
            if (ms % 100 == 0) {
                sent.clear();
                engine.onDatagram(now, peer, KrpcCodec.encode(new KrpcQuery.FindNode(TransactionId.of(ms), peerId, false,
                        peerId)));
                knownAnswered += (int) sent.stream().filter(m -> m.to.equals(peer))
                        .filter(m -> decode(m.datagram) instanceof KrpcResponse).count();
            }
        }
        assertEquals(100, knownAnswered, "the known contact's queries answered");
        long allowed = (long) (AddressRateLimit.STRANGERS_BURST + AddressRateLimit.STRANGERS_PER_SECOND * 10);
        assertTrue(flood.answers <= allowed, flood.answers + " flood queries answered, at most " + allowed);
        assertTrue(flood.answers >= allowed - 1, "the global budget is used, not starved: " + flood.answers);
        // what the node reflects is bounded by the global rate, however fast the flood: here under a quarter of
        // the 20,000 queries a second it received, at most 1,500 bytes per answer (one datagram)
        assertTrue(flood.bytesOut <= allowed * 1_500 && flood.bytesOut < flood.bytesIn / 4,
                "reflected " + flood.bytesOut + " bytes of " + flood.bytesIn);
        assertTrue(engine.footprint().rateLimitedAddresses() <= AddressRateLimit.MAX_TRACKED, engine.footprint().toString());
    }

    @Test
    void ipv6SourcesAreLimitedPerSlash64() {
        InetSocketAddress a = new InetSocketAddress("2001:db8:1:2:aaaa::1", 6881);
        InetSocketAddress b = new InetSocketAddress("2001:db8:1:2:bbbb::7", 6882);
        InetSocketAddress other = new InetSocketAddress("2001:db8:1:3::1", 6881);
        assertEquals(AddressRateLimit.sourceOf(a), AddressRateLimit.sourceOf(b));
        assertTrue(!AddressRateLimit.sourceOf(a).equals(AddressRateLimit.sourceOf(other)));
        assertEquals(new InetSocketAddress("10.1.2.3", 1).getAddress(),
                AddressRateLimit.sourceOf(new InetSocketAddress("10.1.2.3", 2)));
    }

    /** Sends a flood's queries to the engine and counts what it answers to their senders. */
    private final class Flood {
        long answers;
        long bytesIn;
        long bytesOut;

        void send(InetSocketAddress from, KrpcQuery q) {
            byte[] datagram = KrpcCodec.encode(q);
            bytesIn += datagram.length;
            sent.clear();
            engine.onDatagram(now, from, datagram);
            for (Sent m : sent) {
                if (m.to.equals(from)) {
                    answers++;
                    bytesOut += m.datagram.length;
                }
            }
        }
    }

    private Token tokenFor(InetSocketAddress from) {
        sent.clear();
        engine.onDatagram(now, from, KrpcCodec.encode(new KrpcQuery.GetPeers(TransactionId.of(0), peerId, false, hash)));
        return sent.stream().filter(m -> m.to.equals(from)).map(m -> decode(m.datagram))
                .filter(m -> m instanceof KrpcResponse).map(m -> ((KrpcResponse) m).token().orElseThrow())
                .findFirst().orElse(new Token(new byte[]{0})); // rate-limited: a wrong token is fine too
    }

    private byte[] send(String datagram) {
        sent.clear();
        engine.onDatagram(now, peer, datagram.getBytes(ISO_8859_1));
        return sent.get(0).datagram;
    }

    private static KrpcMessage decode(byte[] b) {
        try {
            return KrpcCodec.decode(b);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void putNeedsATokenAndAnswersBep44ErrorCodes() throws Exception {
        byte[] privateKey = new byte[32];
        new SplittableRandom(6).nextBytes(privateKey);
        MutableItem item = MutableItem.sign(privateKey, new byte[0], 2, ItemValue.of("i42e".getBytes(ISO_8859_1)));
        KrpcError noToken = assertInstanceOf(KrpcError.class, ask(new KrpcQuery.Put(TransactionId.of(1), peerId, false,
                new Token(new byte[]{9}), item, OptionalLong.empty()), peer));
        assertEquals(KrpcError.PROTOCOL, noToken.code());
        KrpcResponse got = (KrpcResponse) ask(new KrpcQuery.Get(TransactionId.of(2), peerId, false, item.target(),
                OptionalLong.empty()), peer);
        assertEquals(Optional.empty(), got.item());
        Token token = got.token().orElseThrow();
        MutableItem forged = new MutableItem(item.key(), new byte[0], 3, item.value(), item.signature());
        assertEquals(206, ((KrpcError) ask(new KrpcQuery.Put(TransactionId.of(3), peerId, false, token, forged,
                OptionalLong.empty()), peer)).code());
        assertInstanceOf(KrpcResponse.class, ask(new KrpcQuery.Put(TransactionId.of(4), peerId, false, token, item,
                OptionalLong.empty()), peer));
        KrpcResponse stored = (KrpcResponse) ask(new KrpcQuery.Get(TransactionId.of(5), peerId, false, item.target(),
                OptionalLong.empty()), peer);
        assertEquals(Optional.of(ItemReply.mutable(item)), stored.item());
        KrpcResponse notNewer = (KrpcResponse) ask(new KrpcQuery.Get(TransactionId.of(6), peerId, false, item.target(),
                OptionalLong.of(2)), peer);
        assertEquals(Optional.of(ItemReply.seqOnly(2)), notNewer.item(), "BEP 44: nothing newer than seq 2, so seq alone");
    }
}
