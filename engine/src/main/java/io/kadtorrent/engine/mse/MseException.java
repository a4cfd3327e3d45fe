package io.kadtorrent.engine.mse;

/**
 * An MSE handshake failed: the peer sent something the spec or our policy does not allow, or nothing we
 * could synchronise on within the spec's bounds. The only exception {@link MseHandshake} throws for input;
 * the connection that saw it is closed with this message as the reason.
 */
public final class MseException extends RuntimeException {

    public MseException(String message) {
        super(message);
    }
}
