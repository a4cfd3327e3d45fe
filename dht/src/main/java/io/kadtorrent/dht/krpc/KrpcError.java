package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.rpc.TransactionId;

/** An error reply ({@code y=e}): {@code e = [code, message]} with the BEP 5 codes below. */
public record KrpcError(TransactionId transactionId, int code, String message) implements KrpcMessage {

    public static final int GENERIC = 201;        // BEP 5: Generic Error
    public static final int SERVER = 202;         // BEP 5: Server Error
    public static final int PROTOCOL = 203;       // BEP 5: Protocol Error (malformed packet, invalid arguments, bad token)
    public static final int METHOD_UNKNOWN = 204; // BEP 5: Method Unknown
}
