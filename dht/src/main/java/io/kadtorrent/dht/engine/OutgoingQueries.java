package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.rpc.PendingQueries;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The engine's one retry path: every query goes out through here and is re-sent with a fresh
 * transaction id until {@link QueryPolicy#maxAttempts()} sends have gone unanswered; only then does
 * its callback hear {@code onTimeout}. A fixed policy re-sends when an attempt times out; an adaptive
 * one re-sends after the measured retransmission timeout ({@link RoundTripEstimate}) while earlier
 * attempts keep waiting for their reply, and the first reply to any attempt settles the query.
 * Engine-thread only.
 */
final class OutgoingQueries implements QuerySender {

    /** One query and its attempts. */
    private static final class Query {
        final InetSocketAddress to;
        final Function<TransactionId, KrpcQuery> build;
        final QueryCallback callback;
        final List<TransactionId> attempts = new ArrayList<>(1);
        int outstanding; // attempts neither answered nor timed out
        boolean settled;
        boolean resendPending;
        boolean noMoreAttempts; // the caller declined an early attempt
        long resendAtMillis;
        long straggleAtMillis;
        long order; // ties between equal resend times go to the earlier-scheduled

        Query(InetSocketAddress to, Function<TransactionId, KrpcQuery> build, QueryCallback callback) {
            this.to = to;
            this.build = build;
            this.callback = callback;
        }
    }

    private final PendingQueries pending;
    private final QueryPolicy policy;
    private final RoundTripEstimate rtt;
    private final BiConsumer<InetSocketAddress, KrpcQuery> wire;
    private final PriorityQueue<Query> resends = new PriorityQueue<>(
            Comparator.comparingLong((Query q) -> q.resendAtMillis).thenComparingLong(q -> q.order));
    private final PriorityQueue<Query> straggling = new PriorityQueue<>(
            Comparator.comparingLong((Query q) -> q.straggleAtMillis).thenComparingLong(q -> q.order));
    private boolean noticeStragglers;
    private long nextOrder;
    private int timedOut;

    /** {@code wire} encodes and sends one query datagram. */
    OutgoingQueries(QueryPolicy policy, int firstTransactionCounter, BiConsumer<InetSocketAddress, KrpcQuery> wire) {
        this.pending = new PendingQueries(policy.replyWindowMillis(), firstTransactionCounter);
        this.policy = policy;
        this.rtt = new RoundTripEstimate(policy.minTimeoutMillis(), policy.timeoutMillis());
        this.wire = wire;
    }

    /** Whether a first attempt silent past {@link RoundTripEstimate#stragglerMillis} is reported (adaptive policies). */
    void noticeStragglers(boolean on) {
        this.noticeStragglers = on;
    }

    @Override
    public boolean send(long nowMillis, InetSocketAddress to, Function<TransactionId, KrpcQuery> build,
                        QueryCallback callback) {
        if (pending.isFull()) {
            return false;
        }
        attempt(nowMillis, new Query(to, build, callback));
        return true;
    }

    /** The callback of one attempt, registered in the pending table: knows when it was sent. */
    private abstract static class Attempt implements QueryCallback {
        final long sentAtMillis;

        Attempt(long sentAtMillis) {
            this.sentAtMillis = sentAtMillis;
        }
    }

    /** How long the reply matched to {@code callback} (as {@link #take} returned it) took, or -1 if not known. */
    static long roundTripMillis(QueryCallback callback, long nowMillis) {
        return callback instanceof Attempt a ? Math.max(0, nowMillis - a.sentAtMillis) : -1;
    }

    private void attempt(long nowMillis, Query q) {
        long sentAt = nowMillis;
        TransactionId tid = pending.register(q.to, nowMillis, new Attempt(sentAt) {
            @Override
            public void onResponse(KrpcResponse response, long now) {
                rtt.sample(now - sentAt);
                q.outstanding--; // taken from the pending table already
                settle(q);
                q.callback.onResponse(response, now);
            }

            @Override
            public void onError(KrpcError error, long now) {
                q.outstanding--;
                settle(q);
                q.callback.onError(error, now);
            }

            @Override
            public void onTimeout(long now) {
                timedOut++;
                q.outstanding--;
                if (q.settled) {
                    return;
                }
                if (q.outstanding > 0 || q.resendPending) {
                    q.callback.onAttemptTimedOut(now);
                } else if (q.noMoreAttempts) {
                    settle(q);
                    q.callback.onTimeout(now);
                } else {
                    retryOrGiveUp(now, q);
                }
            }
        });
        q.attempts.add(tid);
        q.outstanding++;
        // RFC 6298 5.5: each further attempt waits twice as long, so a live but slow node is not sent a burst
        // (libtorrent blocks an IP that queries it more than about five times a second)
        // and never later than timeoutMillis, though the attempt's reply is still accepted up to replyWindowMillis
        long resendAfter = Math.min(rtt.timeoutMillis() << Math.min(q.attempts.size() - 1, 10), policy.timeoutMillis());
        if (policy.adaptive() && resendAfter < policy.replyWindowMillis() && q.attempts.size() < policy.maxAttempts()) {
            q.resendPending = true;
            q.resendAtMillis = nowMillis + resendAfter;
            q.order = nextOrder++;
            resends.add(q);
            if (noticeStragglers && q.attempts.size() == 1 && rtt.stragglerMillis() < resendAfter) {
                q.straggleAtMillis = nowMillis + rtt.stragglerMillis();
                straggling.add(q);
            }
        }
        wire.accept(q.to, q.build.apply(tid));
    }

    /** The last attempt went unanswered (or the resend timer fired): ask again if allowed, else time out. */
    private void retryOrGiveUp(long nowMillis, Query q) {
        boolean resent = q.attempts.size() < policy.maxAttempts() && q.callback.onRetry(nowMillis)
                && !pending.isFull();
        if (resent) {
            attempt(nowMillis, q);
        } else {
            settle(q);
            q.callback.onTimeout(nowMillis);
        }
    }

    /**
     * The measured timeout passed with no reply: send another attempt if the caller still wants one; if
     * not, the attempts out there may still be answered, so the query ends only when they time out.
     */
    private void earlyRetry(long nowMillis, Query q) {
        if (q.callback.onEarlyRetry(nowMillis) && !pending.isFull()) {
            attempt(nowMillis, q);
        } else {
            q.noMoreAttempts = true;
        }
    }

    /** Answered, refused or given up: attempts still waiting are forgotten, a late reply to them matches nothing. */
    private void settle(Query q) {
        q.settled = true;
        if (q.outstanding > 0) {
            q.attempts.forEach(tid -> pending.cancel(tid, q.to));
            q.outstanding = 0;
        }
    }

    /** The callback of the query {@code from} answered with {@code tid}, removed; empty for a reply nobody awaits. */
    Optional<QueryCallback> take(TransactionId tid, InetSocketAddress from) {
        return pending.take(tid, from);
    }

    /** Times out (and so retries or fails) every attempt past its deadline; returns how many attempts timed out. */
    int expire(long nowMillis) {
        timedOut = 0;
        pending.expire(nowMillis);
        while (!straggling.isEmpty() && straggling.peek().straggleAtMillis <= nowMillis) {
            Query q = straggling.poll();
            if (!q.settled) {
                q.callback.onStraggling(nowMillis);
            }
        }
        while (!resends.isEmpty() && resends.peek().resendAtMillis <= nowMillis) {
            Query q = resends.poll();
            q.resendPending = false;
            if (!q.settled) {
                earlyRetry(nowMillis, q);
            }
        }
        return timedOut;
    }

    /** The earliest attempt deadline or resend, or {@link Long#MAX_VALUE} when nothing is pending. */
    long nextDeadlineMillis() {
        while (!resends.isEmpty() && resends.peek().settled) {
            resends.poll().resendPending = false;
        }
        while (!straggling.isEmpty() && straggling.peek().settled) {
            straggling.poll();
        }
        long resend = resends.isEmpty() ? Long.MAX_VALUE : resends.peek().resendAtMillis;
        long straggle = straggling.isEmpty() ? Long.MAX_VALUE : straggling.peek().straggleAtMillis;
        return Math.min(pending.nextDeadlineMillis(), Math.min(resend, straggle));
    }

    int size() {
        return pending.size();
    }
}
