package io.kadtorrent.engine.pick;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/**
 * How many connected peers have each piece, from their bitfields and haves (BEP 3), also kept as one
 * set of pieces per count, so rarest-first looks at the rarest pieces first instead of at every piece.
 * Not thread-safe.
 */
public final class PieceAvailability {

    private final int[] counts;
    private final int words;
    /** {@code levels.get(c)}: the pieces exactly {@code c} peers have, as {@link BitSet#toLongArray} words. */
    private final List<long[]> levels = new ArrayList<>();
    private int[] levelSizes = new int[8];

    public PieceAvailability(int pieceCount) {
        this.counts = new int[pieceCount];
        this.words = (pieceCount + 63) >>> 6;
        long[] all = new long[words];
        for (int i = 0; i < pieceCount; i++) {
            all[i >>> 6] |= 1L << i;
        }
        levels.add(all);
        levelSizes[0] = pieceCount;
    }

    public void addPeer(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < counts.length; i = pieces.nextSetBit(i + 1)) {
            move(i, counts[i] + 1);
        }
    }

    public void removePeer(BitSet pieces) {
        for (int i = pieces.nextSetBit(0); i >= 0 && i < counts.length; i = pieces.nextSetBit(i + 1)) {
            move(i, Math.max(0, counts[i] - 1));
        }
    }

    public void addHave(int pieceIndex) {
        move(pieceIndex, counts[pieceIndex] + 1);
    }

    public int count(int pieceIndex) {
        return counts[pieceIndex];
    }

    /** One more than the highest count any piece has had. */
    int levelCount() {
        return levels.size();
    }

    /** How many pieces exactly {@code count} peers have. */
    int levelSize(int count) {
        return levelSizes[count];
    }

    /** The pieces exactly {@code count} peers have, as words of bits; the caller must not change them. */
    long[] level(int count) {
        return levels.get(count);
    }

    private void move(int piece, int to) {
        int from = counts[piece];
        if (from == to) {
            return;
        }
        while (levels.size() <= to) {
            levels.add(new long[words]);
        }
        if (levelSizes.length <= to) {
            levelSizes = Arrays.copyOf(levelSizes, Math.max(to + 1, 2 * levelSizes.length));
        }
        levels.get(from)[piece >>> 6] &= ~(1L << piece);
        levelSizes[from]--;
        levels.get(to)[piece >>> 6] |= 1L << piece;
        levelSizes[to]++;
        counts[piece] = to;
    }
}
