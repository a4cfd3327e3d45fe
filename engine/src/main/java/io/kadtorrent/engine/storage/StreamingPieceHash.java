package io.kadtorrent.engine.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The SHA-1 of one piece, fed in piece order while its blocks are written, so verifying it rarely
 * reads it back. A block written ahead of a gap (peers may answer out of order) is remembered and read
 * back from the file once the gap before it is filled; whatever is still unhashed when the piece is
 * complete is read back then. A write into bytes already hashed spoils the stream: the piece must then
 * be hashed from scratch. Used by the store's writer thread only.
 */
final class StreamingPieceHash {

    /** Feeds {@code lengthBytes} of the piece from {@code pieceOffset}, as they are on disk now, to {@code md}. */
    @FunctionalInterface
    interface ReadBack {
        void hash(long pieceOffset, long lengthBytes, MessageDigest md) throws IOException;
    }

    private final MessageDigest md;
    private long hashedBytes;
    /** Blocks written past the gap: piece offset -> length. */
    private final Map<Long, Integer> ahead = new HashMap<>();
    private boolean spoiled;

    StreamingPieceHash(MessageDigest md) {
        this.md = md;
    }

    /** Block {@code bytes} (its remaining bytes) was just written at {@code begin} inside the piece. */
    void written(long begin, ByteBuffer bytes, ReadBack disk) throws IOException {
        int length = bytes.remaining();
        if (spoiled) {
            return;
        }
        if (begin == hashedBytes) {
            md.update(bytes);
            hashedBytes += length;
            for (Integer next = ahead.remove(hashedBytes); next != null; next = ahead.remove(hashedBytes)) {
                disk.hash(hashedBytes, next, md);
                hashedBytes += next;
            }
        } else if (begin > hashedBytes) {
            ahead.merge(begin, length, Math::max);
        } else {
            spoiled = true; // rewrote bytes already hashed (a second copy of a block)
        }
    }

    /** The digest of the whole piece, reading back what was not hashed yet; empty when the stream is spoiled. */
    Optional<byte[]> finish(long pieceSize, ReadBack disk) throws IOException {
        if (spoiled || hashedBytes > pieceSize) {
            return Optional.empty();
        }
        if (hashedBytes < pieceSize) {
            disk.hash(hashedBytes, pieceSize - hashedBytes, md);
        }
        return Optional.of(md.digest());
    }
}
