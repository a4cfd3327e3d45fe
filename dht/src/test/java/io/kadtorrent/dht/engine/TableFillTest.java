package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.NodeState;
import io.kadtorrent.dht.rpc.TransactionId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Filling buckets that have room: nodes that queried us, or that lookup replies named, are pinged to verify them. */
class TableFillTest {

    private record Sent(InetSocketAddress to, KrpcMessage message) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom(5);
    private final NodeId own = NodeId.random(new SplittableRandom(1));
    private long now = 1_000;
    private int port = 2_000;

    private DhtEngine engine(BucketCapacity capacity) {
        return new DhtEngine(own, AddressFamily.IPV4, (to, bytes) -> sent.add(new Sent(to, decode(bytes))),
                new SplittableRandom(2), QueryPolicy.DEFAULT, capacity, now);
    }

    private static KrpcMessage decode(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A node sharing exactly {@code bits} leading bits with ours, at a fresh address. */
    private Contact sharing(int bits) {
        return new Contact(NodeId.randomWithPrefix(own.withBitFlipped(bits), bits + 1, random),
                new InetSocketAddress("127.0." + (port >> 8 & 255) + "." + (port++ & 255), 6881));
    }

    private void queryFrom(DhtEngine engine, Contact c) {
        engine.onDatagram(now, c.address(), KrpcCodec.encode(new KrpcQuery.Ping(TransactionId.of(1), c.id(), false)));
    }

    private List<Sent> pingsSent() {
        return sent.stream().filter(s -> s.message instanceof KrpcQuery.Ping).toList();
    }

    private void answer(DhtEngine engine, Sent query, NodeId as) {
        KrpcQuery q = (KrpcQuery) query.message;
        engine.onDatagram(now, query.to, KrpcCodec.encode(KrpcResponse.ofId(q.transactionId(), as)));
    }

    @Test
    void aWideTableVerifiesAQuerierAndItsAnswerMakesItGood() {
        DhtEngine engine = engine(BucketCapacity.WIDE);
        Contact querier = sharing(0);
        queryFrom(engine, querier);
        assertInstanceOf(KrpcResponse.class, sent.get(0).message, "the query is answered first");
        assertEquals(1, pingsSent().size());
        assertEquals(querier.address(), pingsSent().get(0).to);
        assertEquals(Optional.of(NodeState.QUESTIONABLE), engine.routingTable().stateOf(querier, now));
        answer(engine, pingsSent().get(0), querier.id());
        assertEquals(Optional.of(NodeState.GOOD), engine.routingTable().stateOf(querier, now));
        assertEquals(List.of(querier), engine.routingTable().goodContacts(8, now), "handed out as a bootstrap contact");
        queryFrom(engine, querier);
        assertEquals(1, pingsSent().size(), "a verified node is not pinged again when it queries");
        assertEquals(1, engine.stats().verificationPings());
    }

    @Test
    void aQuerierThatNeverAnswersItsVerificationIsDropped() {
        DhtEngine engine = engine(BucketCapacity.WIDE);
        Contact spoofed = sharing(0);
        queryFrom(engine, spoofed);
        assertEquals(1, engine.routingTable().size());
        now += 5_000;
        engine.onTimer(now);
        assertEquals(1, pingsSent().size(), "one attempt only");
        assertEquals(0, engine.routingTable().size());
    }

    @Test
    void beyondKAQuerierEntersAWideBucketOnlyOnceItAnswers() {
        DhtEngine engine = engine(BucketCapacity.WIDE);
        for (int i = 0; i < 8; i++) {
            queryFrom(engine, sharing(0));
        }
        Contact ninth = sharing(0);
        queryFrom(engine, ninth);
        assertEquals(8, engine.routingTable().size());
        Sent ping = pingsSent().get(pingsSent().size() - 1);
        assertEquals(ninth.address(), ping.to);
        answer(engine, ping, ninth.id());
        assertEquals(Optional.of(NodeState.GOOD), engine.routingTable().stateOf(ninth, now));
    }

    @Test
    void aReplyUnderAnotherIdDropsTheUnverifiedEntry() {
        DhtEngine engine = engine(BucketCapacity.WIDE);
        Contact liar = sharing(0);
        queryFrom(engine, liar);
        NodeId real = sharing(1).id();
        answer(engine, pingsSent().get(0), real);
        assertEquals(Optional.empty(), engine.routingTable().stateOf(liar, now));
        assertEquals(List.of(), engine.routingTable().contacts(), "the real one enters when next heard from");
    }

    @Test
    void aStandardTableSendsNoVerificationPings() {
        DhtEngine engine = engine(BucketCapacity.STANDARD);
        queryFrom(engine, sharing(0));
        assertEquals(1, sent.size());
        assertEquals(1, engine.routingTable().size());
    }

    /**
     * 2,000 forged queriers a second for 10 s, each from its own address: the node pings at most
     * {@link TablePinger#VERIFY_BURST} + {@link TablePinger#VERIFY_PER_SECOND} a second of them, so it cannot be
     * made to send more than a trickle of pings at addresses it only heard of.
     */
    @Test
    void verificationPingsAreRateLimitedUnderAFloodOfForgedQueriers() {
        DhtEngine engine = engine(BucketCapacity.WIDE);
        long start = now;
        for (int i = 0; i < 20_000; i++) {
            now = start + i / 2;
            int bits = random.nextInt(4);
            Contact forged = new Contact(NodeId.randomWithPrefix(own.withBitFlipped(bits), bits + 1, random),
                    new InetSocketAddress("10." + (i >> 16) + "." + (i >> 8 & 255) + "." + (i & 255), 6881));
            queryFrom(engine, forged);
            engine.onTimer(now);
        }
        long allowed = (long) (TablePinger.VERIFY_BURST + TablePinger.VERIFY_PER_SECOND * 10);
        int pings = pingsSent().size();
        assertTrue(pings <= allowed, pings + " verification pings, at most " + allowed);
        assertTrue(pings >= TablePinger.VERIFY_BURST, "the budget is used: " + pings);
        assertEquals(pings, engine.stats().verificationPings());
        assertTrue(engine.routingTable().size() <= 4 * 8 + 8 * 160, "unverified nodes only within K per bucket");
        engine.routingTable().checkInvariants();
    }

    @Test
    void withFillOnALookupPingsAFewNamedNodesItsBucketsHaveRoomFor() {
        assertEquals(TablePinger.MAX_NAMED_PER_REPLY, namedNodesPingedAfterOneReply(true));
        sent.clear();
        assertEquals(0, namedNodesPingedAfterOneReply(false));
    }

    private int namedNodesPingedAfterOneReply(boolean fill) {
        DhtEngine engine = engine(BucketCapacity.WIDE);
        engine.fillBucketsFromReplies(fill);
        Contact known = sharing(0);
        engine.routingTable().recordReply(known, now);
        NodeId target = sharing(0).id();
        engine.findNode(now, target, r -> { });
        Sent findNode = sent.get(0);
        assertInstanceOf(KrpcQuery.FindNode.class, findNode.message);
        List<CompactNodeInfo> named = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Contact c = sharing(0);
            named.add(new CompactNodeInfo(c.id(), c.address()));
        }
        sent.clear();
        KrpcQuery q = (KrpcQuery) findNode.message;
        engine.onDatagram(now, findNode.to, KrpcCodec.encode(new KrpcResponse(q.transactionId(), known.id(), named,
                List.of(), Optional.empty())));
        List<InetSocketAddress> asked = sent.stream().filter(s -> s.message instanceof KrpcQuery.FindNode)
                .map(Sent::to).toList();
        assertFalse(asked.isEmpty(), "the lookup goes on");
        for (Sent ping : pingsSent()) {
            assertFalse(asked.contains(ping.to), "a node the lookup asks now is not pinged as well");
            assertTrue(named.stream().anyMatch(n -> n.address().equals(ping.to)));
        }
        return pingsSent().size();
    }
}
