package io.kadtorrent.dht.rpc;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcResponse;

import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * What the sender of a query learns: exactly one of {@link #onResponse}, {@link #onError} and
 * {@link #onTimeout} happens, on the engine thread, after any number of {@link #onRetry} calls.
 */
public interface QueryCallback {

    void onResponse(KrpcResponse response, long nowMillis);

    /** The node answered with a KRPC error: it is alive but refused. */
    void onError(KrpcError error, long nowMillis);

    /** No reply to any attempt (lost, dead or slow). */
    void onTimeout(long nowMillis);

    /**
     * One attempt timed out and another is allowed: true re-sends the query, false gives up now
     * (then {@link #onTimeout} follows at once).
     */
    default boolean onRetry(long nowMillis) {
        return true;
    }

    /**
     * An adaptive policy's early attempt: no reply within the measured round-trip timeout, while the
     * attempts already sent keep waiting for theirs. True sends another; false sends no more, and the
     * query ends when those attempts are answered or time out. Defaults to {@link #onRetry}.
     */
    default boolean onEarlyRetry(long nowMillis) {
        return onRetry(nowMillis);
    }

    /**
     * The first attempt has gone unanswered past the node's usual round trip (about its 90th percentile), well
     * before the measured timeout: only when stragglers are noticed (see {@code DhtEngine#askPastStragglers}).
     * The query still waits for its reply; a lookup may ask another node meanwhile.
     */
    default void onStraggling(long nowMillis) {
    }

    /** One attempt went unanswered for the full timeout while a later one still waits (adaptive policies). */
    default void onAttemptTimedOut(long nowMillis) {
    }

    /**
     * For callers that treat an error reply like silence: {@code onResponse} hears a response, and
     * {@code settled} hears the time after whichever outcome it was.
     */
    static QueryCallback of(Consumer<KrpcResponse> onResponse, LongConsumer settled) {
        return new QueryCallback() {
            @Override
            public void onResponse(KrpcResponse response, long nowMillis) {
                onResponse.accept(response);
                settled.accept(nowMillis);
            }

            @Override
            public void onError(KrpcError error, long nowMillis) {
                settled.accept(nowMillis);
            }

            @Override
            public void onTimeout(long nowMillis) {
                settled.accept(nowMillis);
            }
        };
    }
}
