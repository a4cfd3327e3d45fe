package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcDecodeException;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's timer contract: {@link DhtEngine#nextTimerMillis} is the earliest real deadline
 * (query timeout, token rotation, bucket refresh, peer expiry, rejoin), and {@link DhtEngine#onTimer}
 * called exactly then does that work. The tests only ever wake the engine at nextTimerMillis, as the
 * runtime and the simulator do.
 */
class DhtEngineTimerTest {

    private static final long START = 1_000;
    private static final long ROTATE_MILLIS = 5 * 60_000L;   // BEP 5: token secret changes every 5 minutes
    private static final long REFRESH_MILLIS = 15 * 60_000L; // BEP 5: refresh a bucket idle 15 minutes

    private record Sent(long atMillis, InetSocketAddress to, KrpcMessage message) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private long now = START;
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 7000);
    private final NodeId peerId = NodeId.random(new SplittableRandom(3));
    private final InfoHash hash = InfoHash.of(new byte[20]);

    private DhtEngine engine(QueryPolicy policy) {
        return new DhtEngine(NodeId.random(new SplittableRandom(1)), (to, bytes) -> sent.add(new Sent(now, to, decode(bytes))),
                new SplittableRandom(2), policy, START);
    }

    /** Wakes the engine at its own deadline, as the runtime does; returns that time. */
    private long wake(DhtEngine engine) {
        now = engine.nextTimerMillis();
        engine.onTimer(now);
        return now;
    }

    private KrpcMessage ask(DhtEngine engine, KrpcQuery q) {
        sent.clear();
        engine.onDatagram(now, peer, KrpcCodec.encode(q));
        return sent.get(0).message();
    }

    private List<KrpcQuery> queriesSent() {
        return sent.stream().map(Sent::message).filter(m -> m instanceof KrpcQuery).map(m -> (KrpcQuery) m).toList();
    }

    @Test
    void wakesForEachTokenRotationThenForTheBucketRefreshAndDoesTheDueWorkThen() {
        DhtEngine engine = engine(QueryPolicy.DEFAULT);
        assertEquals(START + ROTATE_MILLIS, engine.nextTimerMillis(), "nothing pending: the first token rotation");
        now = START + 1_000;
        ask(engine, new KrpcQuery.Ping(TransactionId.of(1), peerId, false)); // the querier enters the table
        Token token = ((KrpcResponse) ask(engine, new KrpcQuery.GetPeers(TransactionId.of(2), peerId, false, hash)))
                .token().orElseThrow();
        sent.clear();

        assertEquals(START + ROTATE_MILLIS, wake(engine));
        assertTrue(queriesSent().isEmpty());
        assertInstanceOf(KrpcResponse.class, ask(engine, announce(3, token)), "the previous secret is still accepted");
        sent.clear();

        assertEquals(START + 2 * ROTATE_MILLIS, wake(engine));
        assertTrue(queriesSent().isEmpty());
        assertInstanceOf(KrpcError.class, ask(engine, announce(4, token)), "two rotations later the token is dead");
        sent.clear();

        assertEquals(START + REFRESH_MILLIS, wake(engine), "the bucket has been idle 15 minutes");
        List<KrpcQuery> refresh = queriesSent();
        assertEquals(1, refresh.size(), refresh.toString());
        assertInstanceOf(KrpcQuery.FindNode.class, refresh.get(0));
        assertEquals(peer, sent.get(0).to());
        assertEquals(now + QueryPolicy.DEFAULT.timeoutMillis(), engine.nextTimerMillis(), "now the query timeout is first");
    }

    @Test
    void storedPeersExpireExactlyThirtyMinutesAfterTheirAnnounce() {
        DhtEngine engine = engine(QueryPolicy.DEFAULT);
        now = START + 7_000;
        Token token = ((KrpcResponse) ask(engine, new KrpcQuery.GetPeers(TransactionId.of(1), peerId, false, hash)))
                .token().orElseThrow();
        ask(engine, announce(2, token));
        long announcedAt = now;
        assertEquals(1, engine.footprint().peers());
        List<Long> wakes = new ArrayList<>();
        while (engine.footprint().peers() > 0 && wakes.size() < 100) {
            wakes.add(wake(engine));
        }
        assertEquals(announcedAt + PeerStore.PEER_TTL_MILLIS, wakes.get(wakes.size() - 1), wakes.toString());
        assertEquals(0, engine.footprint().torrents());
        assertTrue(engine.nextTimerMillis() > now, "nothing left due at the same time");
    }

    @Test
    void aSilentSeedIsAskedExactlyAsOftenAsThePolicySaysThenTheBootstrapEndsAndIsRetriedLater() {
        DhtEngine engine = engine(new QueryPolicy(1_000, 3));
        now = START + 2_000;
        AtomicInteger joined = new AtomicInteger(-1);
        engine.bootstrap(now, List.of(peer), joined::set);
        assertEquals(now + 1_000, engine.nextTimerMillis(), "a pending query's timeout comes first");

        while (joined.get() < 0 && sent.size() < 10) {
            wake(engine);
        }
        assertEquals(List.of(START + 2_000, START + 3_000, START + 4_000), sent.stream().map(Sent::atMillis).toList());
        sent.forEach(s -> {
            assertEquals(peer, s.to());
            assertInstanceOf(KrpcQuery.FindNode.class, s.message());
        });
        assertEquals(START + 5_000, now, "failed after the third attempt's timeout");
        assertEquals(0, joined.get());
        assertEquals(3, engine.stats().timeouts());

        sent.clear();
        assertEquals(START + 2_000 + LookupStarter.REJOIN_EVERY_MILLIS, wake(engine), "nearly alone: join again");
        assertEquals(1, queriesSent().size());
    }

    private KrpcQuery announce(int tid, Token token) {
        return new KrpcQuery.AnnouncePeer(TransactionId.of(tid), peerId, false, hash, 6881, false, token);
    }

    private static KrpcMessage decode(byte[] datagram) {
        try {
            return KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            throw new AssertionError(e);
        }
    }
}
