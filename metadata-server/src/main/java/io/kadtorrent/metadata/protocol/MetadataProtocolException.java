package io.kadtorrent.metadata.protocol;

/**
 * A frame that cannot be understood, carrying the error code to answer with and the request id
 * when the frame got far enough to have one (0 otherwise).
 */
public final class MetadataProtocolException extends Exception {

    private final long requestId;
    private final ErrorCode code;
    private final boolean malformedFrame;

    public MetadataProtocolException(long requestId, ErrorCode code, String message) {
        this(requestId, code, message, false);
    }

    private MetadataProtocolException(long requestId, ErrorCode code, String message, boolean malformedFrame) {
        super(message);
        this.requestId = requestId;
        this.code = code;
        this.malformedFrame = malformedFrame;
    }

    /** A frame that is not a bencoded dictionary with a valid id: the peer is not speaking our protocol. */
    static MetadataProtocolException malformedFrame(String message) {
        return new MetadataProtocolException(0, ErrorCode.BAD_REQUEST, message, true);
    }

    /** True when the frame had no usable dictionary or id (as opposed to a bad field of a request). */
    public boolean isMalformedFrame() {
        return malformedFrame;
    }

    public long requestId() {
        return requestId;
    }

    public ErrorCode code() {
        return code;
    }
}
