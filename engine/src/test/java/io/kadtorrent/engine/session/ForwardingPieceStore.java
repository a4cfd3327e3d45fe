package io.kadtorrent.engine.session;

import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.BitSet;
import java.util.function.IntPredicate;

/** Test stores that wrap a real one: a partial seeder, and a peer that serves corrupt blocks. */
class ForwardingPieceStore implements PieceStore {

    final PieceStore delegate;

    ForwardingPieceStore(PieceStore delegate) {
        this.delegate = delegate;
    }

    /** Claims only the pieces {@code keep} accepts. */
    static PieceStore partial(PieceStore delegate, IntPredicate keep) {
        return new ForwardingPieceStore(delegate) {
            @Override
            public boolean hasPiece(int i) {
                return keep.test(i) && delegate.hasPiece(i);
            }

            @Override
            public BitSet verifiedPieces() {
                BitSet b = delegate.verifiedPieces();
                for (int i = b.nextSetBit(0); i >= 0; i = b.nextSetBit(i + 1)) {
                    if (!keep.test(i)) {
                        b.clear(i);
                    }
                }
                return b;
            }

            @Override
            public int verifiedCount() {
                return verifiedPieces().cardinality();
            }
        };
    }

    /** Serves every block with its bytes flipped. */
    static PieceStore corrupting(PieceStore delegate) {
        return new ForwardingPieceStore(delegate) {
            @Override
            public void readBlock(int pieceIndex, int begin, ByteBuffer dst) throws IOException {
                byte[] block = new byte[dst.remaining()];
                delegate.readBlock(pieceIndex, begin, ByteBuffer.wrap(block));
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) ~block[i];
                }
                dst.put(block);
            }
        };
    }

    @Override
    public PieceLayout layout() {
        return delegate.layout();
    }

    @Override
    public boolean hasPiece(int pieceIndex) {
        return delegate.hasPiece(pieceIndex);
    }

    @Override
    public BitSet verifiedPieces() {
        return delegate.verifiedPieces();
    }

    @Override
    public int verifiedCount() {
        return delegate.verifiedCount();
    }

    @Override
    public void writeBlock(int pieceIndex, int begin, ByteBuffer block) throws IOException {
        delegate.writeBlock(pieceIndex, begin, block);
    }

    @Override
    public boolean verifyPiece(int pieceIndex) throws IOException {
        return delegate.verifyPiece(pieceIndex);
    }

    @Override
    public void readBlock(int pieceIndex, int begin, ByteBuffer dst) throws IOException {
        delegate.readBlock(pieceIndex, begin, dst);
    }

    @Override
    public void saveResume(boolean forced) throws IOException {
        delegate.saveResume(forced);
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
