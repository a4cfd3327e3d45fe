package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.rpc.TransactionId;

/** One KRPC message (BEP 5): a query ({@code y=q}), a response ({@code y=r}) or an error ({@code y=e}). */
public sealed interface KrpcMessage permits KrpcQuery, KrpcResponse, KrpcError {

    TransactionId transactionId();
}
