package io.kadtorrent.dht.id;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Arrays;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** A 160-bit Kademlia node id (BEP 5); info_hashes live in the same key space. Immutable. */
public final class NodeId implements Comparable<NodeId> {

    public static final int LENGTH = 20; // BEP 5: ids are 160 bits
    public static final int BITS = LENGTH * 8;

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of exactly 20 bytes. */
    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("node id must be 20 bytes, got " + bytes.length);
        }
        return new NodeId(bytes.clone());
    }

    /** Copies 20 bytes starting at {@code offset}. */
    public static NodeId of(byte[] source, int offset) {
        return new NodeId(Arrays.copyOfRange(source, offset, offset + LENGTH));
    }

    public static NodeId of(InfoHash infoHash) {
        return new NodeId(infoHash.bytes());
    }

    public static NodeId parse(String hex) {
        return of(BaseEncoding.base16().decode(hex.toUpperCase(Locale.ROOT)));
    }

    public static NodeId random(RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        return new NodeId(b);
    }

    /** A random id sharing the first {@code prefixBits} bits with {@code prefix} (for bucket refresh). */
    public static NodeId randomWithPrefix(NodeId prefix, int prefixBits, RandomGenerator random) {
        byte[] b = new byte[LENGTH];
        random.nextBytes(b);
        for (int i = 0; i < prefixBits; i++) {
            int mask = 0x80 >>> (i & 7);
            b[i >> 3] = (byte) ((b[i >> 3] & ~mask) | (prefix.bytes[i >> 3] & mask));
        }
        return new NodeId(b);
    }

    /**
     * The id rebuilt from its {@link #word} values: for tables that keep ids as three numbers per
     * entry rather than an object each.
     */
    public static NodeId ofWords(long w0, long w1, long w2) {
        byte[] b = new byte[LENGTH];
        writeWords(w0, w1, w2, b, 0);
        return new NodeId(b);
    }

    /** Writes the 20 bytes of the id whose {@link #word} values are {@code w0..w2} at {@code offset}. */
    public static void writeWords(long w0, long w1, long w2, byte[] out, int offset) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (w0 >>> (56 - 8 * i));
            out[offset + 8 + i] = (byte) (w1 >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[offset + 16 + i] = (byte) (w2 >>> (24 - 8 * i));
        }
    }

    /**
     * The id as three big-endian numbers: word 0 is bytes 0-7, word 1 bytes 8-15, word 2 bytes 16-19
     * (in its low 32 bits). Comparing the words of two XOR distances as unsigned numbers, in order,
     * compares the distances.
     */
    public long word(int index) {
        int from = index * 8;
        int to = Math.min(LENGTH, from + 8);
        long w = 0;
        for (int i = from; i < to; i++) {
            w = (w << 8) | (bytes[i] & 0xff);
        }
        return w;
    }

    /** The same id with bit {@code index} (0 = most significant) flipped. */
    public NodeId withBitFlipped(int index) {
        byte[] b = bytes.clone();
        b[index >> 3] ^= (byte) (0x80 >>> (index & 7));
        return new NodeId(b);
    }

    /** True when the 20 bytes at {@code offset} of {@code in} are this id. */
    public boolean isAt(byte[] in, int offset) {
        return Arrays.equals(bytes, 0, LENGTH, in, offset, offset + LENGTH);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 20 bytes into {@code out} at {@code offset}, without an intermediate copy. */
    public void copyTo(byte[] out, int offset) {
        System.arraycopy(bytes, 0, out, offset, LENGTH);
    }

    /** Bit {@code index}, 0 being the most significant bit of the first byte. */
    public boolean bit(int index) {
        return (bytes[index >> 3] & (0x80 >>> (index & 7))) != 0;
    }

    /** How many leading bits this id shares with {@code other}: 160 for the same id. */
    public int commonPrefixLength(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Compares the XOR distances of {@code a} and {@code b} to this id (BEP 5 metric). */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (a.bytes[i] ^ bytes[i]) & 0xff;
            int db = (b.bytes[i] ^ bytes[i]) & 0xff;
            if (da != db) {
                return da < db ? -1 : 1;
            }
        }
        return 0;
    }

    public String hex() {
        return BaseEncoding.base16().lowerCase().encode(bytes);
    }

    /** First 8 hex digits, for log lines. */
    public String shortHex() {
        return hex().substring(0, 8);
    }

    @Override
    public int compareTo(NodeId o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    @Override
    public String toString() {
        return shortHex();
    }
}
