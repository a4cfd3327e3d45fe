package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * A query re-sent (with a fresh transaction id) after each timeout, up to {@code maxAttempts};
 * {@code callback} hears the reply, the error, or one timeout once every attempt failed (also
 * when the query could not be sent at all).
 */
final class RetryingQuery {

    private RetryingQuery() {
    }

    static void send(DhtEngine engine, InetSocketAddress to, Function<TransactionId, KrpcQuery> build,
                     int maxAttempts, QueryCallback callback, long nowMillis) {
        attempt(engine, to, build, 1, maxAttempts, callback, nowMillis);
    }

    private static void attempt(DhtEngine engine, InetSocketAddress to, Function<TransactionId, KrpcQuery> build,
                                int attempt, int maxAttempts, QueryCallback callback, long nowMillis) {
        boolean sent = engine.sendQuery(to, build, new QueryCallback() {
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
                if (attempt < maxAttempts) {
                    attempt(engine, to, build, attempt + 1, maxAttempts, callback, now);
                } else {
                    callback.onTimeout(now);
                }
            }
        }, nowMillis);
        if (!sent) {
            callback.onTimeout(nowMillis);
        }
    }
}
