package io.kadtorrent.engine.ext;

import java.util.Arrays;

/**
 * BEP 9 {@code ut_metadata} messages: a bencoded dictionary with {@code msg_type} and
 * {@code piece}; a data message also carries {@code total_size} and is followed by the raw piece.
 * <pre>
 *   request: d8:msg_typei0e5:piecei0ee
 *   data:    d8:msg_typei1e5:piecei0e10:total_sizei34256ee&lt;16 KiB of the info dictionary&gt;
 *   reject:  d8:msg_typei2e5:piecei0ee
 * </pre>
 */
public sealed interface MetadataMessage extends ExtensionMessage {

    /** Index of the 16 KiB metadata piece the message is about. */
    int piece();

    /** Asks for one metadata piece. */
    record Request(int piece) implements MetadataMessage {
        public Request {
            requireIndex(piece);
        }
    }

    /** One metadata piece; {@code totalSizeBytes} is the whole info dictionary's size. */
    record Data(int piece, int totalSizeBytes, byte[] data) implements MetadataMessage {
        public Data {
            requireIndex(piece);
            MetadataLayout layout = new MetadataLayout(totalSizeBytes);
            if (!layout.hasPiece(piece) || data.length != layout.pieceLengthBytes(piece)) {
                throw new IllegalArgumentException("piece " + piece + " of " + totalSizeBytes
                        + " bytes of metadata cannot hold " + data.length + " bytes");
            }
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Data d && d.piece == piece && d.totalSizeBytes == totalSizeBytes
                    && Arrays.equals(d.data, data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * piece + totalSizeBytes) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Data[piece=" + piece + ", totalSizeBytes=" + totalSizeBytes + ", " + data.length + " bytes]";
        }
    }

    /** The peer will not send this piece (it lacks the metadata, or limits its rate). */
    record Reject(int piece) implements MetadataMessage {
        public Reject {
            requireIndex(piece);
        }
    }

    private static void requireIndex(int piece) {
        if (piece < 0 || piece >= MetadataLayout.MAX_TOTAL_BYTES / MetadataLayout.PIECE_BYTES) {
            throw new IllegalArgumentException("metadata piece index out of range: " + piece);
        }
    }
}
