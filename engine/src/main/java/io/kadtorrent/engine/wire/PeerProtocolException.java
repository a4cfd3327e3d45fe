package io.kadtorrent.engine.wire;

/** A peer broke the wire protocol; the connection that saw it is closed with this message as the reason. */
public final class PeerProtocolException extends RuntimeException {

    public PeerProtocolException(String message) {
        super(message);
    }
}
