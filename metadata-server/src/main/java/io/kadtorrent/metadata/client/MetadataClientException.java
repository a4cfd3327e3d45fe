package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.protocol.ErrorCode;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * A metadata request that failed: the server answered with an error ({@link #code()} present),
 * could not be reached or timed out, or sent something that failed verification.
 */
public final class MetadataClientException extends IOException {

    private final ErrorCode code;
    private final List<String> suggestions;

    public MetadataClientException(String message) {
        this(message, null, null);
    }

    public MetadataClientException(String message, ErrorCode code, Throwable cause) {
        this(message, code, cause, List.of());
    }

    /** @param suggestions close names the server offered when a get by name found nothing */
    public MetadataClientException(String message, ErrorCode code, Throwable cause, List<String> suggestions) {
        super(message, cause);
        this.code = code;
        this.suggestions = List.copyOf(suggestions);
    }

    /** The server's error code, when the server answered with an error. */
    public Optional<ErrorCode> code() {
        return Optional.ofNullable(code);
    }

    /**
     * Torrent names close to the one asked, best first (at most 5), when the server answered 404
     * to a get by name; empty otherwise. The message already lists them.
     */
    public List<String> suggestions() {
        return suggestions;
    }
}
