package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.rpc.PendingQueries;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The engine's one retry path: every query goes out through here, and after each timeout it is
 * re-sent with a fresh transaction id until {@link QueryPolicy#maxAttempts()} sends have gone
 * unanswered; only then does its callback hear {@code onTimeout}. Engine-thread only.
 */
final class OutgoingQueries implements QuerySender {

    private final PendingQueries pending;
    private final int maxAttempts;
    private final BiConsumer<InetSocketAddress, KrpcQuery> wire;

    /** {@code wire} encodes and sends one query datagram. */
    OutgoingQueries(QueryPolicy policy, int firstTransactionCounter, BiConsumer<InetSocketAddress, KrpcQuery> wire) {
        this.pending = new PendingQueries(policy.timeoutMillis(), firstTransactionCounter);
        this.maxAttempts = policy.maxAttempts();
        this.wire = wire;
    }

    @Override
    public boolean send(long nowMillis, InetSocketAddress to, Function<TransactionId, KrpcQuery> build,
                        QueryCallback callback) {
        return attempt(nowMillis, to, build, 1, callback);
    }

    private boolean attempt(long nowMillis, InetSocketAddress to, Function<TransactionId, KrpcQuery> build,
                            int attempt, QueryCallback callback) {
        if (pending.isFull()) {
            return false;
        }
        TransactionId tid = pending.register(to, nowMillis, new QueryCallback() {
            @Override
            public void onResponse(KrpcResponse response, long now) {
                callback.onResponse(response, now);
            }

            @Override
            public void onError(KrpcError error, long now) {
                callback.onError(error, now);
            }

            @Override
            public void onTimeout(long now) {
                boolean resent = attempt < maxAttempts && callback.onRetry(now)
                        && attempt(now, to, build, attempt + 1, callback);
                if (!resent) {
                    callback.onTimeout(now);
                }
            }
        });
        wire.accept(to, build.apply(tid));
        return true;
    }

    /** The callback of the query {@code from} answered with {@code tid}, removed; empty for a reply nobody awaits. */
    Optional<QueryCallback> take(TransactionId tid, InetSocketAddress from) {
        return pending.take(tid, from);
    }

    /** Times out (and so retries or fails) every attempt past its deadline; returns how many timed out. */
    int expire(long nowMillis) {
        return pending.expire(nowMillis);
    }

    /** The earliest attempt deadline, or {@link Long#MAX_VALUE} when nothing is pending. */
    long nextDeadlineMillis() {
        return pending.nextDeadlineMillis();
    }

    int size() {
        return pending.size();
    }
}
