package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.protocol.ErrorCode;

import java.io.IOException;
import java.util.Optional;

/**
 * A metadata request that failed: the server answered with an error ({@link #code()} present),
 * could not be reached or timed out, or sent something that failed verification.
 */
public final class MetadataClientException extends IOException {

    private final ErrorCode code;

    public MetadataClientException(String message) {
        this(message, null, null);
    }

    public MetadataClientException(String message, ErrorCode code, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The server's error code, when the server answered with an error. */
    public Optional<ErrorCode> code() {
        return Optional.ofNullable(code);
    }
}
