package io.kadtorrent.engine.pick;

import java.util.BitSet;

/** How many connected peers have each piece, from their bitfields and haves (BEP 3). Not thread-safe. */
public final class PieceAvailability {

    private final int[] counts;

    public PieceAvailability(int pieceCount) {
        this.counts = new int[pieceCount];
    }

    public void addPeer(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < counts.length; i = pieces.nextSetBit(i + 1)) {
            counts[i]++;
        }
    }

    public void removePeer(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < counts.length; i = pieces.nextSetBit(i + 1)) {
            counts[i] = Math.max(0, counts[i] - 1);
        }
    }

    public void addHave(int pieceIndex) {
        counts[pieceIndex]++;
    }

    public int count(int pieceIndex) {
        return counts[pieceIndex];
    }
}
