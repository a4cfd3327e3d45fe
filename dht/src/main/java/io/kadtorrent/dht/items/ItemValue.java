package io.kadtorrent.dht.items;

import com.google.common.io.BaseEncoding;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The {@code v} of a BEP 44 item: one bencoded value (string, integer, list or dict), kept as the
 * exact bytes that appeared in the message, because its hash and signature are over those bytes and
 * decoding then re-encoding is not always the identity.
 */
public final class ItemValue {

    /** BEP 44: storing nodes may refuse a bencoded {@code v} longer than 1000 bytes; we do. */
    public static final int MAX_BYTES = 1_000;

    private final byte[] encoded;

    private ItemValue(byte[] encoded) {
        this.encoded = encoded;
    }

    /** Wraps a copy of {@code encoded}; the caller vouches it is one complete bencoded value. */
    public static ItemValue of(byte[] encoded) {
        if (encoded.length == 0) {
            throw new IllegalArgumentException("an item value is one bencoded value, not empty");
        }
        return new ItemValue(encoded.clone());
    }

    public byte[] bytes() {
        return encoded.clone();
    }

    public int sizeBytes() {
        return encoded.length;
    }

    /** True when the value is larger than BEP 44 lets a storing node refuse (error 205). */
    public boolean isTooBig() {
        return encoded.length > MAX_BYTES;
    }

    void writeTo(ByteArrayOutputStream out) {
        out.writeBytes(encoded);
    }

    static byte[] sha1(byte[]... parts) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (byte[] p : parts) {
                sha1.update(p);
            }
            return sha1.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemValue v && Arrays.equals(encoded, v.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        int shown = Math.min(encoded.length, 16);
        return "ItemValue[" + encoded.length + " bytes: " + BaseEncoding.base16().lowerCase().encode(encoded, 0, shown)
                + (shown < encoded.length ? "..." : "") + "]";
    }
}
