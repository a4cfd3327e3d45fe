package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.rpc.TransactionId;

import java.util.Optional;

/**
 * A datagram that is not a valid KRPC message. Carries the BEP 5 error code to answer with and,
 * when the datagram was readable that far, the transaction id to answer to.
 */
public final class KrpcDecodeException extends Exception {

    private final int code;
    private final transient Optional<TransactionId> transactionId;
    private final boolean query;

    public KrpcDecodeException(int code, String message, Optional<TransactionId> transactionId, boolean query) {
        super(message);
        this.code = code;
        this.transactionId = transactionId;
        this.query = query;
    }

    public int code() {
        return code;
    }

    public Optional<TransactionId> transactionId() {
        return transactionId;
    }

    /** True when the bad datagram was a query, so an error reply is owed (never answer a bad reply). */
    public boolean wasQuery() {
        return query;
    }
}
