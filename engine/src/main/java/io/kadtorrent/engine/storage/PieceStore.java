package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * The bytes of one torrent, addressed by piece and block, plus which pieces are verified.
 * Threading: {@link #hasPiece}, {@link #verifiedPieces} and {@link #readBlock} may be called from any
 * thread; writes and {@link #verifyPiece} for one piece must come from one thread, in order (the
 * swarm's disk executor), so a verification sees every block written before it.
 */
public interface PieceStore extends Closeable {

    PieceLayout layout();

    boolean hasPiece(int pieceIndex);

    /** A copy of the verified pieces. */
    BitSet verifiedPieces();

    int verifiedCount();

    default boolean isComplete() {
        return verifiedCount() == layout().pieceCount();
    }

    /**
     * Writes the remaining bytes of {@code block} at {@code begin} inside piece {@code pieceIndex} (not yet
     * verified). The caller keeps the buffer; its position may move.
     */
    void writeBlock(int pieceIndex, int begin, ByteBuffer block) throws IOException;

    /**
     * Reads piece {@code pieceIndex} back, checks its SHA-1 against the torrent and marks it verified
     * when it matches. Returns whether it matched.
     */
    boolean verifyPiece(int pieceIndex) throws IOException;

    /**
     * Reads {@code dst.remaining()} bytes of verified piece {@code pieceIndex} from {@code begin} into
     * {@code dst}, filling it to its limit.
     */
    void readBlock(int pieceIndex, int begin, ByteBuffer dst) throws IOException;

    /**
     * Where the bytes of a block of verified piece {@code pieceIndex} live on disk, so they can be sent
     * without passing through the heap; empty when the store cannot offer that (then use {@link #readBlock}).
     */
    default Optional<List<FileSlice>> blockSlices(int pieceIndex, int begin, int lengthBytes) {
        return Optional.empty();
    }

    /**
     * Applies the user's file priorities, one per file: a skipped file need not exist on disk. Called on
     * the writer thread, in order with the writes. The default keeps every file as it is.
     */
    default void setFilePriorities(List<FilePriority> priorities) throws IOException {
    }

    /**
     * Saves resume data (sizes, mtimes, verified pieces) atomically. With {@code forced}, the files are
     * forced to disk first, so the resume data survives a power failure; without, nothing waits for the
     * disk and the resume data is trusted only until the machine reboots (where the system can tell
     * boots apart; elsewhere every save is forced).
     */
    void saveResume(boolean forced) throws IOException;

    @Override
    void close() throws IOException;
}
