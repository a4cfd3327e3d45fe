package io.kadtorrent.engine.wire;

import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The BEP 3 handshake, 68 bytes:
 * <pre>
 *  0      1                    20        28          48        68
 *  +------+--------------------+---------+-----------+---------+
 *  | 0x13 | "BitTorrent protocol" | reserved(8) | info_hash(20) | peer_id(20) |
 * </pre>
 * Arrays are copied in and out.
 */
public record Handshake(byte[] reserved, InfoHash infoHash, byte[] peerId) {

    public static final int LENGTH = 68;
    /** Bytes up to and including the info_hash: enough to route an incoming connection. */
    public static final int PREFIX_LENGTH = 48;
    public static final int PEER_ID_LENGTH = 20;
    private static final byte[] PROTOCOL = "BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);

    public Handshake {
        if (reserved.length != 8 || peerId.length != PEER_ID_LENGTH) {
            throw new IllegalArgumentException("reserved must be 8 bytes and peer_id 20 bytes");
        }
        reserved = reserved.clone();
        peerId = peerId.clone();
    }

    /** BEP 6: the Fast extension is bit 0x04 of the last reserved byte. */
    private static final int FAST_BYTE = 7;
    private static final int FAST_MASK = 0x04;

    /**
     * Our reserved bits: BEP 5 DHT (last byte, bit 0x01), BEP 6 Fast extension (last byte, bit 0x04) and
     * BEP 10 extension protocol (byte 5, bit 0x10).
     */
    public static byte[] ourReserved() {
        byte[] r = new byte[8];
        r[5] |= 0x10;
        r[7] |= 0x01;
        r[FAST_BYTE] |= FAST_MASK;
        return r;
    }

    /** Azureus-style peer_id: {@code -KD0100-} followed by 12 random bytes. */
    public static byte[] newPeerId(SecureRandom random) {
        byte[] id = new byte[PEER_ID_LENGTH];
        byte[] prefix = "-KD0100-".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(prefix, 0, id, 0, prefix.length);
        byte[] tail = new byte[PEER_ID_LENGTH - prefix.length];
        random.nextBytes(tail);
        System.arraycopy(tail, 0, id, prefix.length, tail.length);
        return id;
    }

    public static Handshake of(InfoHash infoHash, byte[] peerId) {
        return new Handshake(ourReserved(), infoHash, peerId);
    }

    @Override
    public byte[] reserved() {
        return reserved.clone();
    }

    @Override
    public byte[] peerId() {
        return peerId.clone();
    }

    public boolean supportsDht() {
        return (reserved[7] & 0x01) != 0;
    }

    public boolean supportsExtensionProtocol() {
        return (reserved[5] & 0x10) != 0;
    }

    /** BEP 6: the sender speaks the Fast extension (both sides must set the bit to use it). */
    public boolean supportsFast() {
        return (reserved[FAST_BYTE] & FAST_MASK) != 0;
    }

    public void encode(ByteBuf out) {
        out.writeByte(PROTOCOL.length).writeBytes(PROTOCOL).writeBytes(reserved)
                .writeBytes(infoHash.bytes()).writeBytes(peerId);
    }

    /** Reads the 48-byte prefix (protocol, reserved, info_hash); throws if the protocol string is wrong. */
    public static Prefix decodePrefix(ByteBuf in) {
        int pstrlen = in.readUnsignedByte();
        if (pstrlen != PROTOCOL.length) {
            throw new PeerProtocolException("handshake protocol length " + pstrlen + ", expected 19");
        }
        byte[] pstr = new byte[PROTOCOL.length];
        in.readBytes(pstr);
        if (!Arrays.equals(pstr, PROTOCOL)) {
            throw new PeerProtocolException("handshake protocol is not \"BitTorrent protocol\"");
        }
        byte[] reserved = new byte[8];
        in.readBytes(reserved);
        byte[] hash = new byte[InfoHash.LENGTH];
        in.readBytes(hash);
        return new Prefix(reserved, InfoHash.of(hash));
    }

    /** Decodes a whole 68-byte handshake. */
    public static Handshake decode(ByteBuf in) {
        Prefix p = decodePrefix(in);
        byte[] id = new byte[PEER_ID_LENGTH];
        in.readBytes(id);
        return p.withPeerId(id);
    }

    /** The part of a handshake before the peer_id. */
    public record Prefix(byte[] reserved, InfoHash infoHash) {
        public Handshake withPeerId(byte[] peerId) {
            return new Handshake(reserved, infoHash, peerId);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Handshake h && Arrays.equals(reserved, h.reserved) && infoHash.equals(h.infoHash)
                && Arrays.equals(peerId, h.peerId);
    }

    @Override
    public int hashCode() {
        return infoHash.hashCode() * 31 + Arrays.hashCode(peerId);
    }

    @Override
    public String toString() {
        return "Handshake[" + infoHash.shortHex() + ", peer " + HexFormat.of().formatHex(peerId, 0, 8) + "]";
    }
}
