package io.kadtorrent.torrent.bencode;

import java.util.Arrays;

/**
 * Already-encoded bencode, written verbatim by {@link BencodeCodec#encode}. This is how a
 * .torrent keeps the exact bytes of its {@code info} value (and so its info_hash) when the
 * rest of the file is rewritten.
 */
public final class RawBencode {

    private final byte[] encoded;

    private RawBencode(byte[] encoded) {
        this.encoded = encoded;
    }

    /** Wraps a copy of {@code encoded}; the caller vouches that it is one complete bencoded value. */
    public static RawBencode of(byte[] encoded) {
        return new RawBencode(encoded.clone());
    }

    public byte[] bytes() {
        return encoded.clone();
    }

    int length() {
        return encoded.length;
    }

    byte[] unsafeBytes() {
        return encoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawBencode r && Arrays.equals(encoded, r.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "RawBencode[" + encoded.length + " bytes]";
    }
}
