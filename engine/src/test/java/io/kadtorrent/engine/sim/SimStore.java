package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.wire.BlockData;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.util.BitSet;

/**
 * One simulated peer's storage: not the bytes, only which blocks were written and whether each
 * matched the {@link SyntheticTorrent}'s true bytes; a piece hashes "ok" iff every block of it was
 * written right, which is what a SHA-1 over the real bytes would say. Also the invariant that the core
 * never writes a block twice (unless its piece failed and is downloaded again) nor writes into a
 * verified piece.
 */
final class SimStore {

    private final SyntheticTorrent torrent;
    private final PieceLayout layout;
    private final int blocksPerPiece;
    private final BitSet verified;
    private final BitSet written = new BitSet();
    private final BitSet good = new BitSet();
    private long writtenBytes;

    SimStore(SyntheticTorrent torrent, BitSet verified) {
        this.torrent = torrent;
        this.layout = torrent.layout();
        this.blocksPerPiece = torrent.blocksPerPiece();
        this.verified = (BitSet) verified.clone();
    }

    /** A restart: blocks of pieces not verified yet are forgotten, as resume data keeps only verified pieces. */
    void restart() {
        written.clear();
        good.clear();
    }

    /** A store holding every piece (a seed). */
    static SimStore complete(SyntheticTorrent torrent) {
        BitSet all = new BitSet();
        all.set(0, torrent.layout().pieceCount());
        return new SimStore(torrent, all);
    }

    /** Records the block and releases {@code data}; throws when the core broke a write invariant. */
    void write(BlockRequest block, BlockData data) {
        try {
            int piece = block.pieceIndex();
            if (verified.get(piece)) {
                throw new IllegalStateException("block " + block + " written into verified piece " + piece);
            }
            int bit = bit(block);
            if (written.get(bit)) {
                throw new IllegalStateException("block " + block + " written twice");
            }
            written.set(bit);
            good.set(bit, data instanceof SyntheticBlock synthetic ? synthetic.matches(block)
                    : torrent.matches(block, data.bytes()));
            writtenBytes += block.lengthBytes();
        } finally {
            data.release();
        }
    }

    /** Hashes piece {@code index}: true iff all of its blocks were written with the right bytes. */
    boolean check(int index) {
        int from = index * blocksPerPiece;
        int to = from + blockCount(index);
        boolean ok = written.get(from, to).cardinality() == to - from && good.get(from, to).cardinality() == to - from;
        if (ok) {
            verified.set(index);
        }
        written.clear(from, to); // kept for verified pieces by the bitset; a failed piece is downloaded again
        good.clear(from, to);
        return ok;
    }

    boolean has(int index) {
        return verified.get(index);
    }

    BitSet verified() {
        return (BitSet) verified.clone();
    }

    int verifiedCount() {
        return verified.cardinality();
    }

    boolean isComplete() {
        return verified.cardinality() == layout.pieceCount();
    }

    long writtenBytes() {
        return writtenBytes;
    }

    private int blockCount(int index) {
        return (layout.pieceSize(index) + BlockRequest.BLOCK_SIZE - 1) / BlockRequest.BLOCK_SIZE;
    }

    private int bit(BlockRequest b) {
        if (b.begin() % BlockRequest.BLOCK_SIZE != 0) {
            throw new IllegalStateException("unaligned block written: " + b);
        }
        return b.pieceIndex() * blocksPerPiece + b.begin() / BlockRequest.BLOCK_SIZE;
    }
}
