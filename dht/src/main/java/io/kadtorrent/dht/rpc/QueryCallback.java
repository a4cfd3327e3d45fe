package io.kadtorrent.dht.rpc;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcResponse;

import java.util.function.Consumer;

/** What the sender of a query learns: exactly one of the three calls happens, on the engine thread. */
public interface QueryCallback {

    void onResponse(KrpcResponse response, long nowMillis);

    /** The node answered with a KRPC error: it is alive but refused. */
    void onError(KrpcError error, long nowMillis);

    /** No reply within the timeout (lost, dead or slow). */
    void onTimeout(long nowMillis);

    /** A callback for callers that treat an error reply like silence. */
    static QueryCallback of(Consumer<KrpcResponse> onResponse, Runnable onNoAnswer) {
        return new QueryCallback() {
            @Override
            public void onResponse(KrpcResponse response, long nowMillis) {
                onResponse.accept(response);
            }

            @Override
            public void onError(KrpcError error, long nowMillis) {
                onNoAnswer.run();
            }

            @Override
            public void onTimeout(long nowMillis) {
                onNoAnswer.run();
            }
        };
    }
}
