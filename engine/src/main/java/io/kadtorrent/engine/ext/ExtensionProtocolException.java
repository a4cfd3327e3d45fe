package io.kadtorrent.engine.ext;

/** A peer sent a malformed BEP 10 / BEP 9 message; the connection that carried it should be closed. */
public final class ExtensionProtocolException extends Exception {

    public ExtensionProtocolException(String message) {
        super(message);
    }

    public ExtensionProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
