package io.kadtorrent.metadata.protocol;

/**
 * Error codes of the metadata protocol ({@code error.code} on the wire). The numbers borrow the
 * meaning of the HTTP status codes people already know.
 */
public enum ErrorCode {
    /** The frame is not a well-formed request (bad bencode, missing or mistyped field, unknown op). */
    BAD_REQUEST(400),
    /** A publish without a valid signature of the torrent by the key it carries. */
    BAD_SIGNATURE(401),
    /** A correctly signed publish by a key the server does not accept. */
    KEY_NOT_ALLOWED(403),
    /** No torrent with that info_hash or name. */
    NOT_FOUND(404),
    /** More than one torrent has that exact name; ask by info_hash. */
    AMBIGUOUS_NAME(409),
    /** The frame's length prefix is above the server's limit; the connection is closed. */
    FRAME_TOO_LARGE(413),
    /** The published bytes are not a valid .torrent. */
    INVALID_TORRENT(422),
    /** This address sent too many requests; retry later. */
    RATE_LIMITED(429),
    /** The server failed; the request may be retried. */
    INTERNAL_ERROR(500),
    /** The server is at its connection cap; the connection is closed. */
    BUSY(503);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The code with that number; unknown numbers (from a newer server) read as {@link #INTERNAL_ERROR}. */
    public static ErrorCode of(long code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL_ERROR;
    }
}
