package io.kadtorrent.engine.pick;

import java.util.Arrays;
import java.util.BitSet;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The {@link PiecePicker}'s index of started pieces that still have blocks to request, in the order they were
 * started: all of them, and by last taker (for piece affinity). Not thread-safe: confined with its picker.
 *
 * <p>Bit q stands for the piece started q-th ({@link #started}), so {@code nextSetBit} walks them in start order
 * and adding or removing one costs a bit (the tree sets these replaced spent their time rebalancing).
 */
final class OpenPieces {

    private final BitSet all = new BitSet();
    private final Map<Object, BitSet> byTaker = new IdentityHashMap<>();
    /** The open piece started q-th at index q, null for the others. */
    private PieceProgress[] bySeq = new PieceProgress[64];
    /**
     * The indexes of the open pieces: a peer that has none of them is told so by one pass over words instead
     * of a walk over every open piece (a peer with room and nothing new to offer is asked again on every have
     * and reject it or others send).
     */
    private final BitSet pieces = new BitSet();

    /**
     * The start numbers of the open pieces {@code taker} last took blocks of ({@code null}: of all open pieces),
     * or null when there are none; the caller must not change the set.
     */
    BitSet startedBy(Object taker) {
        return taker == null ? all : byTaker.get(taker);
    }

    /** The open piece started {@code q}-th (a bit of {@link #startedBy}). */
    PieceProgress started(int q) {
        return bySeq[q];
    }

    /** True when {@code peerPieces} holds an open piece. */
    boolean anyIn(BitSet peerPieces) {
        return pieces.intersects(peerPieces);
    }

    /** After a change to {@code p}: lists it as open, under its last taker, while it has blocks left to request. */
    void update(PieceProgress p) {
        boolean open = p.unrequested() > 0;
        if (open == p.indexed && (!open || p.indexedUnder == p.lastTaker())) {
            return; // most changes (a block arriving) leave the index as it was
        }
        remove(p);
        if (open) {
            p.indexed = true;
            p.indexedUnder = p.lastTaker();
            int q = seq(p);
            if (q >= bySeq.length) {
                bySeq = Arrays.copyOf(bySeq, Math.max(q + 1, 2 * bySeq.length));
            }
            bySeq[q] = p;
            all.set(q);
            pieces.set(p.pieceIndex);
            byTaker.computeIfAbsent(p.indexedUnder, k -> new BitSet()).set(q);
        }
    }

    /** Takes {@code p} out of the index (it was stopped), if it is listed. */
    void remove(PieceProgress p) {
        if (p.indexed) {
            p.indexed = false;
            int q = seq(p);
            all.clear(q);
            bySeq[q] = null;
            pieces.clear(p.pieceIndex);
            BitSet mine = byTaker.get(p.indexedUnder);
            mine.clear(q);
            if (mine.isEmpty()) {
                byTaker.remove(p.indexedUnder); // a peer that left leaves nothing behind
            }
            p.indexedUnder = null;
        }
    }

    private static int seq(PieceProgress p) {
        return Math.toIntExact(p.startSeq);
    }
}
