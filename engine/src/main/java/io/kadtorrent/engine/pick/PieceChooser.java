package io.kadtorrent.engine.pick;

import java.util.Arrays;
import java.util.BitSet;
import java.util.random.RandomGenerator;

/**
 * Chooses the next piece for {@link PiecePicker} to start among the wanted pieces not started yet: highest
 * priority level first, then lowest index (sequential), random (the first few pieces) or rarest-first.
 *
 * <p>Rarest-first reads {@link PieceAvailability}'s per-count sets, rarest first, against the eligible pieces,
 * so a choice costs what it looks at, not the torrent's size. Not thread-safe: confined with its picker.
 */
final class PieceChooser {

    /** Below this many eligible pieces rarest-first reads their counts one by one instead of per count. */
    private static final int SCAN_BELOW = 48;

    private final PieceAvailability availability;
    private final RandomGenerator random;
    /** Wanted pieces neither verified nor started, as words of bits. */
    private final long[] notStarted;
    private int notStartedCount;
    /** Pieces per wanted level (index = level), as words of bits; the highest level is tried first. */
    private final long[][] atLevel = new long[FilePriority.values().length][];
    /** Pick the lowest index first instead of the rarest (a sequential download). */
    private boolean sequential;
    private final long[] scratch;

    PieceChooser(int pieceCount, PieceAvailability availability, RandomGenerator random) {
        this.availability = availability;
        this.random = random;
        this.notStarted = new long[(pieceCount + 63) >>> 6];
        this.scratch = new long[notStarted.length];
        for (int l = 1; l < atLevel.length; l++) {
            atLevel[l] = new long[notStarted.length];
        }
    }

    /** The number of priority levels, 0 (not wanted) included. */
    int levelCount() {
        return atLevel.length;
    }

    /** Forgets every piece's level (before {@link #addToLevel} is called for each). */
    void clearLevels() {
        for (long[] words : atLevel) {
            if (words != null) {
                Arrays.fill(words, 0);
            }
        }
    }

    /** Lists piece {@code i} under priority level {@code level}; level 0 (not wanted) lists nothing. */
    void addToLevel(int i, int level) {
        if (level > 0) {
            atLevel[level][i >>> 6] |= 1L << i;
        }
    }

    void setSequential(boolean on) {
        sequential = on;
    }

    /** Piece {@code i} is wanted, not verified and not started: it may be chosen. */
    void markNotStarted(int i) {
        long bit = 1L << i;
        if ((notStarted[i >>> 6] & bit) == 0) {
            notStarted[i >>> 6] |= bit;
            notStartedCount++;
        }
    }

    /** Piece {@code i} is started, verified or not wanted: it is not chosen. */
    void clearNotStarted(int i) {
        long bit = 1L << i;
        if ((notStarted[i >>> 6] & bit) != 0) {
            notStarted[i >>> 6] &= ~bit;
            notStartedCount--;
        }
    }

    /** Wanted pieces neither verified nor started. */
    int notStartedCount() {
        return notStartedCount;
    }

    /**
     * From the highest priority level down, a piece of {@code peerPieces} not started yet: random among the
     * first few pieces ({@code randomFirst}), else rarest-first with a random tie-break; -1 if none fits.
     */
    int choose(BitSet peerPieces, boolean randomFirst) {
        long[] peer = peerPieces.toLongArray();
        for (int level = atLevel.length - 1; level > 0; level--) {
            long[] wanted = atLevel[level];
            int eligible = 0;
            for (int w = 0; w < scratch.length; w++) {
                scratch[w] = w < peer.length ? peer[w] & notStarted[w] & wanted[w] : 0;
                eligible += Long.bitCount(scratch[w]);
            }
            if (eligible == 0) {
                continue;
            }
            if (sequential) {
                return nthBit(scratch, 0);
            }
            if (randomFirst) {
                return nthBit(scratch, random.nextInt(eligible)); // each eligible piece equally likely
            }
            return eligible < SCAN_BELOW ? rarestByScan() : rarestByLevel();
        }
        return -1;
    }

    /** Rarest-first over the few eligible pieces in {@code scratch}, each tied one equally likely. */
    private int rarestByScan() {
        int best = Integer.MAX_VALUE;
        int ties = 0;
        for (int w = 0; w < scratch.length; w++) {
            for (long bits = scratch[w]; bits != 0; bits &= bits - 1) {
                int rank = availability.count((w << 6) + Long.numberOfTrailingZeros(bits));
                if (rank < best) {
                    best = rank;
                    ties = 1;
                } else if (rank == best) {
                    ties++;
                }
            }
        }
        int pick = ties == 1 ? 0 : random.nextInt(ties);
        for (int w = 0; w < scratch.length; w++) {
            for (long bits = scratch[w]; bits != 0; bits &= bits - 1) {
                int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                if (availability.count(i) == best && pick-- == 0) {
                    return i;
                }
            }
        }
        throw new IllegalStateException("no tied piece left to pick");
    }

    /** Rarest-first by availability level, rarest first: the first level with an eligible piece decides. */
    private int rarestByLevel() {
        for (int c = 0; c < availability.levelCount(); c++) {
            if (availability.levelSize(c) == 0) {
                continue;
            }
            long[] level = availability.level(c);
            int ties = 0;
            for (int w = 0; w < scratch.length; w++) {
                ties += Long.bitCount(scratch[w] & level[w]);
            }
            if (ties > 0) {
                int pick = ties == 1 ? 0 : random.nextInt(ties);
                for (int w = 0; w < scratch.length; w++) {
                    long bits = scratch[w] & level[w];
                    int here = Long.bitCount(bits);
                    if (pick < here) {
                        return (w << 6) + nthBitOfWord(bits, pick);
                    }
                    pick -= here;
                }
            }
        }
        throw new IllegalStateException("an eligible piece is on no availability level");
    }

    private static int nthBit(long[] words, int n) {
        for (int w = 0; w < words.length; w++) {
            int here = Long.bitCount(words[w]);
            if (n < here) {
                return (w << 6) + nthBitOfWord(words[w], n);
            }
            n -= here;
        }
        throw new IllegalArgumentException("fewer than " + (n + 1) + " bits");
    }

    private static int nthBitOfWord(long bits, int n) {
        for (int k = 0; k < n; k++) {
            bits &= bits - 1;
        }
        return Long.numberOfTrailingZeros(bits);
    }
}
