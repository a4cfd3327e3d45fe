package io.kadtorrent.engine.ext;

import java.util.Arrays;

/**
 * How a torrent's info dictionary of {@code totalSizeBytes} is cut into BEP 9 metadata pieces:
 * 16 KiB each, the last one shorter.
 */
public record MetadataLayout(int totalSizeBytes) {

    public static final int PIECE_BYTES = 16 * 1024; // BEP 9: metadata is sent in 16 KiB pieces

    /** Largest info dictionary we fetch or accept: 8 MiB holds ~400k piece hashes, far above real torrents. */
    public static final int MAX_TOTAL_BYTES = 8 << 20;

    public MetadataLayout {
        if (!isValidSize(totalSizeBytes)) {
            throw new IllegalArgumentException("metadata size must be 1.." + MAX_TOTAL_BYTES + ": " + totalSizeBytes);
        }
    }

    /** True when a peer-advertised {@code metadata_size} is one we are willing to fetch. */
    public static boolean isValidSize(long sizeBytes) {
        return sizeBytes > 0 && sizeBytes <= MAX_TOTAL_BYTES;
    }

    public int pieceCount() {
        return (totalSizeBytes + PIECE_BYTES - 1) / PIECE_BYTES;
    }

    public boolean hasPiece(long piece) {
        return piece >= 0 && piece < pieceCount();
    }

    /** Length of metadata piece {@code piece}: 16 KiB except for the last. */
    public int pieceLengthBytes(int piece) {
        if (!hasPiece(piece)) {
            throw new IllegalArgumentException("no metadata piece " + piece + " in " + pieceCount());
        }
        return Math.min(PIECE_BYTES, totalSizeBytes - piece * PIECE_BYTES);
    }

    /** The bytes of piece {@code piece} cut from the whole {@code metadata}. */
    public byte[] slice(byte[] metadata, int piece) {
        if (metadata.length != totalSizeBytes) {
            throw new IllegalArgumentException("metadata is " + metadata.length + " bytes, not " + totalSizeBytes);
        }
        int start = piece * PIECE_BYTES;
        return Arrays.copyOfRange(metadata, start, start + pieceLengthBytes(piece));
    }
}
