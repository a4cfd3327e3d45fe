package io.kadtorrent.torrent.bencode;

/** Input that is not well-formed bencode, or that exceeds the {@link BencodeLimits} it was read with. */
public final class InvalidBencodeException extends Exception {

    private final int offset;

    public InvalidBencodeException(String message, int offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset in the input where the problem was found. */
    public int offset() {
        return offset;
    }
}
