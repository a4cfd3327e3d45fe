package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one retry path: timeouts re-send as the policy says, then the caller hears one timeout. */
class OutgoingQueriesTest {

    private static final QueryPolicy THREE_TRIES = new QueryPolicy(1_000, 3);

    private record Sent(InetSocketAddress to, KrpcQuery query) {
    }

    /** Records every call in order, as "event@time". */
    private static final class Recorder implements QueryCallback {
        final List<String> events = new ArrayList<>();
        boolean allowRetry = true;

        @Override
        public void onResponse(KrpcResponse response, long nowMillis) {
            events.add("response@" + nowMillis);
        }

        @Override
        public void onError(KrpcError error, long nowMillis) {
            events.add("error@" + nowMillis);
        }

        @Override
        public boolean onRetry(long nowMillis) {
            events.add("retry@" + nowMillis);
            return allowRetry;
        }

        @Override
        public void onTimeout(long nowMillis) {
            events.add("timeout@" + nowMillis);
        }

        @Override
        public void onStraggling(long nowMillis) {
            events.add("straggling@" + nowMillis);
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private final OutgoingQueries queries = new OutgoingQueries(THREE_TRIES, 0, (to, q) -> sent.add(new Sent(to, q)));
    private final InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 7000);
    private final NodeId own = NodeId.random(new SplittableRandom(4));
    private final Recorder callback = new Recorder();

    private void ping(long nowMillis) {
        assertTrue(queries.send(nowMillis, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback));
    }

    @Test
    void aSilentNodeIsAskedMaxAttemptsTimesThenReportedAsTimedOut() {
        ping(0);
        for (long t = 0; t <= 10_000; t += 250) {
            queries.expire(t);
        }
        assertEquals(3, sent.size(), "exactly maxAttempts sends");
        sent.forEach(s -> assertEquals(peer, s.to));
        assertEquals(3, sent.stream().map(s -> s.query.transactionId()).distinct().count(), "fresh id per attempt");
        assertEquals(List.of("retry@1000", "retry@2000", "timeout@3000"), callback.events);
        assertEquals(Long.MAX_VALUE, queries.nextDeadlineMillis());
    }

    @Test
    void eachAttemptsDeadlineIsTheNextTimer() {
        ping(100);
        assertEquals(1_100, queries.nextDeadlineMillis());
        assertEquals(0, queries.expire(1_099));
        assertEquals(1, sent.size());
        assertEquals(1, queries.expire(1_100));
        assertEquals(2, sent.size());
        assertEquals(2_100, queries.nextDeadlineMillis());
    }

    @Test
    void aReplyToTheRetryEndsTheQueryAndTheStaleIdIsForgotten() {
        ping(0);
        queries.expire(1_000);
        TransactionId first = sent.get(0).query.transactionId();
        TransactionId second = sent.get(1).query.transactionId();
        assertNotEquals(first, second);
        assertTrue(queries.take(first, peer).isEmpty(), "a late reply to the first attempt matches nothing");
        queries.take(second, peer).orElseThrow().onResponse(KrpcResponse.ofId(second, own), 1_500);
        queries.expire(60_000);
        assertEquals(2, sent.size());
        assertEquals(List.of("retry@1000", "response@1500"), callback.events);
    }

    @Test
    void aCallerThatDeclinesTheRetryHearsTheTimeoutAtOnce() {
        callback.allowRetry = false;
        ping(0);
        queries.expire(1_000);
        assertEquals(1, sent.size());
        assertEquals(List.of("retry@1000", "timeout@1000"), callback.events);
    }

    @Test
    void withOneAttemptTheFirstTimeoutIsFinal() {
        OutgoingQueries once = new OutgoingQueries(new QueryPolicy(500, 1), 0, (to, q) -> sent.add(new Sent(to, q)));
        once.send(0, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        once.expire(500);
        assertEquals(1, sent.size());
        assertEquals(List.of("timeout@500"), callback.events, "no retry offered");
    }
    private final List<Sent> adaptiveSent = new ArrayList<>();
    private final OutgoingQueries adaptive = new OutgoingQueries(new QueryPolicy(1_000, 3, 100), 0,
            (to, q) -> adaptiveSent.add(new Sent(to, q)));

    /** One ping through {@code adaptive} that {@code peer} answers after {@code rttMillis}. */
    private void answeredPing(long nowMillis, long rttMillis) {
        adaptive.send(nowMillis, peer, tid -> new KrpcQuery.Ping(tid, own, false), new Recorder());
        TransactionId tid = adaptiveSent.get(adaptiveSent.size() - 1).query.transactionId();
        adaptive.take(tid, peer).orElseThrow().onResponse(KrpcResponse.ofId(tid, own), nowMillis + rttMillis);
    }

    @Test
    void anAdaptivePolicyWaitsTheFullTimeoutUntilItHasMeasuredARoundTrip() {
        adaptive.send(0, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        assertEquals(1_000, adaptive.nextDeadlineMillis());
    }

    @Test
    void anAdaptivePolicyResendsAfterTheMeasuredTimeoutAndStillTakesALateReplyToTheFirstAttempt() {
        for (int i = 0; i < 20; i++) {
            answeredPing(i * 100L, 40); // srtt 40 ms, little variation: the 100 ms floor applies
        }
        long start = 10_000;
        adaptive.send(start, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        int first = adaptiveSent.size() - 1;
        assertEquals(start + 100, adaptive.nextDeadlineMillis());
        adaptive.expire(start + 100);
        assertEquals(first + 2, adaptiveSent.size(), "re-sent after the measured timeout, not after a second");
        TransactionId late = adaptiveSent.get(first).query.transactionId();
        adaptive.take(late, peer).orElseThrow().onResponse(KrpcResponse.ofId(late, own), start + 150);
        TransactionId second = adaptiveSent.get(first + 1).query.transactionId();
        assertTrue(adaptive.take(second, peer).isEmpty(), "once answered, the other attempt is forgotten");
        adaptive.expire(start + 5_000);
        assertEquals(List.of("retry@10100", "response@10150"), callback.events);
        assertEquals(first + 2, adaptiveSent.size());
        assertEquals(Long.MAX_VALUE, adaptive.nextDeadlineMillis());
    }

    @Test
    void aFirstAttemptSilentPastTheUsualRoundTripIsReportedAsAStragglerBeforeItIsResent() {
        for (int i = 0; i < 40; i++) {
            answeredPing(i * 1_000L, i % 2 == 0 ? 100 : 300); // srtt about 200 ms, rttvar about 100 ms
        }
        adaptive.noticeStragglers(true);
        long start = 100_000;
        adaptive.send(start, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        long straggler = adaptive.nextDeadlineMillis() - start;
        assertTrue(straggler > 300 && straggler < 400, "straggler after " + straggler + " ms");
        adaptive.expire(start + straggler);
        assertEquals(List.of("straggling@" + (start + straggler)), callback.events, "reported, not re-sent");
        long resend = adaptive.nextDeadlineMillis() - start;
        assertTrue(resend > 500 && resend < 700, "re-sent after " + resend + " ms");
        adaptive.expire(start + resend);
        assertEquals(List.of("straggling@" + (start + straggler), "retry@" + (start + resend)), callback.events);
    }

    @Test
    void stragglersAreNotReportedUnlessAsked() {
        for (int i = 0; i < 40; i++) {
            answeredPing(i * 1_000L, i % 2 == 0 ? 100 : 300);
        }
        adaptive.send(100_000, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        adaptive.expire(adaptive.nextDeadlineMillis());
        assertEquals(1, callback.events.size());
        assertTrue(callback.events.get(0).startsWith("retry@"), callback.events.toString());
    }

    @Test
    void anAdaptivePolicyGivesUpOnASilentNodeOnceItsLastAttemptTimesOut() {
        for (int i = 0; i < 20; i++) {
            answeredPing(i * 100L, 40);
        }
        long start = 10_000;
        int before = adaptiveSent.size();
        adaptive.send(start, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        for (long t = start; t <= start + 5_000; t += 10) {
            adaptive.expire(t);
        }
        assertEquals(3, adaptiveSent.size() - before, "exactly maxAttempts sends");
        assertEquals(List.of("retry@10100", "retry@10300", "timeout@11300"), callback.events,
                "each further attempt waits twice as long (100 ms, then 200), the last still gets the full second");
    }
    @Test
    void anAdaptiveQueryWhoseCallerDeclinesTheEarlyAttemptStillTakesTheReplyToTheFirst() {
        for (int i = 0; i < 20; i++) {
            answeredPing(i * 100L, 40);
        }
        callback.allowRetry = false;
        long start = 10_000;
        adaptive.send(start, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        TransactionId first = adaptiveSent.get(adaptiveSent.size() - 1).query.transactionId();
        adaptive.expire(start + 100);
        adaptive.take(first, peer).orElseThrow().onResponse(KrpcResponse.ofId(first, own), start + 700);
        assertEquals(List.of("retry@10100", "response@10700"), callback.events, "not a timeout: it answered");
    }

    @Test
    void anAdaptiveQueryWhoseCallerDeclinesTheEarlyAttemptTimesOutWithItsLastAttempt() {
        for (int i = 0; i < 20; i++) {
            answeredPing(i * 100L, 40);
        }
        callback.allowRetry = false;
        long start = 10_000;
        adaptive.send(start, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        for (long t = start; t <= start + 3_000; t += 50) {
            adaptive.expire(t);
        }
        assertEquals(List.of("retry@10100", "timeout@11000"), callback.events);
    }

    @Test
    void aReplyWindowLongerThanTheTimeoutTakesASlowNodesAnswerAfterTheNextAttemptWentOut() {
        List<Sent> out = new ArrayList<>();
        OutgoingQueries patient = new OutgoingQueries(new QueryPolicy(1_000, 2, 100, 3, 3_000), 0,
                (to, q) -> out.add(new Sent(to, q)));
        patient.send(0, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        assertEquals(1_000, patient.nextDeadlineMillis(), "the next attempt still waits at most the timeout");
        patient.expire(1_000);
        assertEquals(2, out.size());
        TransactionId first = out.get(0).query.transactionId();
        patient.take(first, peer).orElseThrow().onResponse(KrpcResponse.ofId(first, own), 2_500);
        assertEquals(List.of("retry@1000", "response@2500"), callback.events, "answered 2.5 s after the first attempt");
    }

    @Test
    void aReplyWindowLongerThanTheTimeoutEndsASilentNodeWhenTheLastAttemptsWindowCloses() {
        List<Sent> out = new ArrayList<>();
        OutgoingQueries patient = new OutgoingQueries(new QueryPolicy(1_000, 2, 100, 3, 3_000), 0,
                (to, q) -> out.add(new Sent(to, q)));
        patient.send(0, peer, tid -> new KrpcQuery.Ping(tid, own, false), callback);
        for (long t = 0; t <= 5_000; t += 50) {
            patient.expire(t);
        }
        assertEquals(2, out.size());
        assertEquals(List.of("retry@1000", "timeout@4000"), callback.events);
    }
}
