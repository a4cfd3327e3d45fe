package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;

import java.util.BitSet;
import java.util.List;

/** Block-level state of one piece being downloaded: how often each block is requested, which arrived. */
final class PieceProgress {

    /** The taker of a piece whose last taker gave blocks back: any peer may finish it, before new pieces. */
    static final Object ORPHAN = new Object();

    final int pieceIndex;
    /** When the piece was started, in the picker's order of starting pieces. */
    final long startSeq;
    /** Started for a waiting reader: its blocks take the disk's fast lane (all of them, so they stay in order). */
    boolean urgent;
    /** The picker lists this piece among those with blocks left to request, under {@link #indexedUnder}. */
    boolean indexed;
    Object indexedUnder;
    private final int pieceSize;
    private final int blockCount;
    private final int[] requests;
    private final BitSet received = new BitSet();
    private int unrequested;
    private int receivedCount;
    private Object lastTaker;

    PieceProgress(int pieceIndex, int pieceSize, long startSeq) {
        this.pieceIndex = pieceIndex;
        this.startSeq = startSeq;
        this.pieceSize = pieceSize;
        this.blockCount = (pieceSize + BlockRequest.BLOCK_SIZE - 1) / BlockRequest.BLOCK_SIZE;
        this.requests = new int[blockCount];
        this.unrequested = blockCount;
    }

    int unrequested() {
        return unrequested;
    }

    /** True once any block of the piece arrived. */
    boolean anyReceived() {
        return receivedCount > 0;
    }

    boolean isComplete() {
        return receivedCount == blockCount;
    }

    /** True when {@code b} is exactly one of this piece's blocks (offset aligned, right length). */
    boolean isBlock(BlockRequest b) {
        if (b.begin() % BlockRequest.BLOCK_SIZE != 0 || b.begin() >= pieceSize) {
            return false;
        }
        return b.lengthBytes() == block(b.begin() / BlockRequest.BLOCK_SIZE).lengthBytes();
    }

    /** Who last took blocks of this piece (an opaque per-peer key), for piece affinity. */
    Object lastTaker() {
        return lastTaker;
    }

    void takeUnrequested(int max, List<BlockRequest> out, Object taker) {
        lastTaker = taker;
        for (int i = 0; i < blockCount && max > 0; i++) {
            if (requests[i] == 0 && !received.get(i)) {
                requests[i] = 1;
                unrequested--;
                out.add(block(i));
                max--;
            }
        }
    }

    void takeDuplicates(int max, BlockSet inFlightFromPeer, List<BlockRequest> out) {
        for (int i = 0; i < blockCount && max > 0; i++) {
            int begin = i * BlockRequest.BLOCK_SIZE;
            if (!received.get(i) && !inFlightFromPeer.contains(pieceIndex, begin, blockLength(begin))) {
                if (requests[i]++ == 0) {
                    unrequested--;
                }
                out.add(block(i));
                max--;
            }
        }
    }

    /** Live requests for the block at {@code begin}. */
    int requests(int begin) {
        return requests[begin / BlockRequest.BLOCK_SIZE];
    }

    /** Marks block at {@code begin} received; false if it had already arrived. */
    boolean receive(int begin) {
        int i = begin / BlockRequest.BLOCK_SIZE;
        if (received.get(i)) {
            return false;
        }
        received.set(i);
        receivedCount++;
        if (requests[i] == 0) {
            unrequested--; // arrived without a live request (e.g. after a choke): still good data
        }
        return true;
    }

    void unrequest(int begin) {
        lastTaker = ORPHAN;
        int i = begin / BlockRequest.BLOCK_SIZE;
        if (requests[i] > 0 && --requests[i] == 0 && !received.get(i)) {
            unrequested++;
        }
    }

    private BlockRequest block(int i) {
        int begin = i * BlockRequest.BLOCK_SIZE;
        return new BlockRequest(pieceIndex, begin, blockLength(begin));
    }

    private int blockLength(int begin) {
        return Math.min(BlockRequest.BLOCK_SIZE, pieceSize - begin);
    }
}
