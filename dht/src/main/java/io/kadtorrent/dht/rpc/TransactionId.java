package io.kadtorrent.dht.rpc;

import com.google.common.io.BaseEncoding;

import java.util.Arrays;

/** The KRPC {@code t} value echoed back in a reply (BEP 5); opaque bytes, usually 2. */
public record TransactionId(byte[] bytes) {

    /** Longest transaction id we accept from the network; real clients use 2 to 4 bytes. */
    public static final int MAX_LENGTH = 16;

    public TransactionId {
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("transaction id longer than " + MAX_LENGTH + " bytes");
        }
        bytes = bytes.clone();
    }

    /** A 2-byte id from the low bits of {@code counter}. */
    public static TransactionId of(int counter) {
        return new TransactionId(new byte[]{(byte) (counter >>> 8), (byte) counter});
    }

    /** The 16-bit number of a 2-byte id (as {@link #of} makes them), or -1 for any other length. */
    public int asShort() {
        return bytes.length == 2 ? ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff) : -1;
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransactionId t && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return BaseEncoding.base16().lowerCase().encode(bytes);
    }
}
