package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.function.Function;

/**
 * All the engine's helpers may do with the network: send a query and hear back its response,
 * error or timeout. Re-sending after a timeout happens behind this interface, as the
 * {@link QueryPolicy} says, so no helper retries on its own.
 */
interface QuerySender {

    /**
     * Sends the query {@code build} makes around a fresh transaction id. False when nothing was
     * sent (too many queries pending); then {@code callback} is never called.
     */
    boolean send(long nowMillis, InetSocketAddress to, Function<TransactionId, KrpcQuery> build,
                 QueryCallback callback);
}
