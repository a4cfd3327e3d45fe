package io.kadtorrent.engine.wire;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;

/**
 * One BEP 3 peer wire message after the handshake. On the wire each is
 * {@code <4-byte big-endian length><1-byte id><payload>}; a zero length is a keep-alive.
 *
 * <pre>
 *  id  message         payload
 *  --  --------------  -----------------------------------------
 *   0  choke           -
 *   1  unchoke         -
 *   2  interested      -
 *   3  not interested  -
 *   4  have            piece index (4)
 *   5  bitfield        bitfield bytes, high bit first = piece 0
 *   6  request         index (4) begin (4) length (4)
 *   7  piece           index (4) begin (4) block bytes
 *   8  cancel          index (4) begin (4) length (4)
 *   9  port            DHT port (2)             (BEP 5)
 *  13  suggest piece   piece index (4)          (BEP 6, the Fast extension, from here to 17)
 *  14  have all        -
 *  15  have none       -
 *  16  reject request  index (4) begin (4) length (4)
 *  17  allowed fast    piece index (4)
 *  20  extended        extended id (1) payload  (BEP 10, opaque for now)
 * </pre>
 * The BEP 6 messages ({@link FastMessage}) are only valid when both handshakes set the Fast bit.
 */
public sealed interface PeerMessage {

    byte CHOKE = 0;
    byte UNCHOKE = 1;
    byte INTERESTED = 2;
    byte NOT_INTERESTED = 3;
    byte HAVE = 4;
    byte BITFIELD = 5;
    byte REQUEST = 6;
    byte PIECE = 7;
    byte CANCEL = 8;
    byte PORT = 9;
    byte SUGGEST_PIECE = 13; // BEP 6
    byte HAVE_ALL = 14; // BEP 6
    byte HAVE_NONE = 15; // BEP 6
    byte REJECT_REQUEST = 16; // BEP 6
    byte ALLOWED_FAST = 17; // BEP 6
    byte EXTENDED = 20; // BEP 10

    /** Gives back what the message holds: a {@link Piece}'s block; nothing for the others. */
    default void release() {
    }

    record KeepAlive() implements PeerMessage {
    }

    record Choke() implements PeerMessage {
    }

    record Unchoke() implements PeerMessage {
    }

    record Interested() implements PeerMessage {
    }

    record NotInterested() implements PeerMessage {
    }

    record Have(int pieceIndex) implements PeerMessage {
    }

    /** The sender's verified pieces; {@code bits} is copied in and out. */
    record Bitfield(byte[] bits) implements PeerMessage {
        public Bitfield {
            bits = bits.clone();
        }

        /** BEP 3 layout: piece 0 is the high bit of the first byte; spare bits stay zero. */
        public static Bitfield of(BitSet pieces, int pieceCount) {
            byte[] out = new byte[(pieceCount + 7) / 8];
            for (int i = pieces.nextSetBit(0); i >= 0 && i < pieceCount; i = pieces.nextSetBit(i + 1)) {
                out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
            }
            return new Bitfield(out);
        }

        /** The pieces this bitfield names, spare bits included (the receiver checks them). */
        public BitSet pieces() {
            byte[] lowBitFirst = new byte[bits.length]; // BitSet.valueOf reads bit 0 of byte 0 as index 0
            for (int i = 0; i < bits.length; i++) {
                lowBitFirst[i] = (byte) (Integer.reverse(bits[i] & 0xFF) >>> 24);
            }
            return BitSet.valueOf(lowBitFirst);
        }

        @Override
        public byte[] bits() {
            return bits.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bitfield b && Arrays.equals(bits, b.bits);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bits);
        }

        @Override
        public String toString() {
            return "Bitfield[" + bits.length + " bytes]";
        }
    }

    record Request(int pieceIndex, int begin, int lengthBytes) implements PeerMessage {
        public BlockRequest block() {
            return new BlockRequest(pieceIndex, begin, lengthBytes);
        }
    }

    /**
     * A block of a piece. The message owns {@code block}: whoever consumes it either hands the block on
     * (to the disk writer) or releases it.
     */
    record Piece(int pieceIndex, int begin, BlockData block) implements PeerMessage {

        /** A piece message over a copy of {@code block}, for tests and tools (heap, nothing to leak). */
        public static Piece of(int pieceIndex, int begin, byte[] block) {
            return new Piece(pieceIndex, begin, BlockData.copyOf(block));
        }

        public int lengthBytes() {
            return block.lengthBytes();
        }

        public BlockRequest blockRequest() {
            return new BlockRequest(pieceIndex, begin, lengthBytes());
        }

        /** Releases the block (see {@link BlockData#release()}). */
        @Override
        public void release() {
            block.release();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Piece p && p.pieceIndex == pieceIndex && p.begin == begin
                    && p.block.bytes().equals(block.bytes());
        }

        @Override
        public int hashCode() {
            return 31 * (31 * pieceIndex + begin) + block.bytes().hashCode();
        }

        @Override
        public String toString() {
            return "Piece[" + pieceIndex + ", " + begin + ", " + lengthBytes() + " bytes]";
        }
    }

    record Cancel(int pieceIndex, int begin, int lengthBytes) implements PeerMessage {
        public BlockRequest block() {
            return new BlockRequest(pieceIndex, begin, lengthBytes);
        }
    }

    /** BEP 5: the sender's DHT UDP port. */
    record Port(int port) implements PeerMessage {
        public Port {
            if (port < 0 || port > 0xFFFF) {
                throw new IllegalArgumentException("port outside 0..65535: " + port);
            }
        }
    }

    /** A BEP 6 (Fast extension) message: a peer may send one only when both sides set the Fast bit. */
    sealed interface FastMessage extends PeerMessage {
    }

    /** BEP 6: the sender suggests we download this piece (it may be cheap for it to serve). */
    record SuggestPiece(int pieceIndex) implements FastMessage {
    }

    /** BEP 6: the sender has every piece; sent instead of a bitfield. */
    record HaveAll() implements FastMessage {
    }

    /** BEP 6: the sender has no piece; sent instead of a bitfield. */
    record HaveNone() implements FastMessage {
    }

    /** BEP 6: the sender will not serve this request (the answer to every request it drops). */
    record RejectRequest(int pieceIndex, int begin, int lengthBytes) implements FastMessage {
        public static RejectRequest of(BlockRequest block) {
            return new RejectRequest(block.pieceIndex(), block.begin(), block.lengthBytes());
        }

        public BlockRequest block() {
            return new BlockRequest(pieceIndex, begin, lengthBytes);
        }
    }

    /** BEP 6: the sender serves requests for this piece even while it chokes us. */
    record AllowedFast(int pieceIndex) implements FastMessage {
    }

    /** BEP 10 extension message, kept opaque until the extension protocol is built. */
    record Extended(int extendedId, byte[] payload) implements PeerMessage {
        public Extended {
            if (extendedId < 0 || extendedId > 0xFF) {
                throw new IllegalArgumentException("extended id outside 0..255: " + extendedId);
            }
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Extended e && e.extendedId == extendedId && Arrays.equals(payload, e.payload);
        }

        @Override
        public int hashCode() {
            return 31 * extendedId + Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "Extended[" + extendedId + ", " + HexFormat.of().formatHex(payload, 0, Math.min(16, payload.length)) + "]";
        }
    }
}
