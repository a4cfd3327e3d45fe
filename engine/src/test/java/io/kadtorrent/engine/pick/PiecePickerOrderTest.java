package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.layout.PieceLayout;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What goes first: urgent pieces, then higher priority levels, in order when sequential; skipped never. */
class PiecePickerOrderTest {

    private static final int PIECE = 4 * BlockRequest.BLOCK_SIZE;
    private final PieceLayout layout = PieceLayout.ofLengths(new long[] {8L * PIECE, 8L * PIECE}, PIECE);

    private static BitSet all(int n) {
        BitSet b = new BitSet();
        b.set(0, n);
        return b;
    }

    /** The pieces of the blocks picked, in order, without repeats. */
    private static List<Integer> pieces(List<BlockRequest> picked) {
        List<Integer> out = new ArrayList<>();
        for (BlockRequest b : picked) {
            if (out.isEmpty() || out.get(out.size() - 1) != b.pieceIndex()) {
                out.add(b.pieceIndex());
            }
        }
        return out;
    }

    @Test
    void sequentialModePicksLowestFirst() {
        PiecePicker p = new PiecePicker(layout, new BitSet(), new SplittableRandom(1));
        p.setSequential(true);
        assertEquals(List.of(0, 1, 2, 3, 4), pieces(p.pick(all(16), 20, new BlockSet())));
    }

    @Test
    void urgentPiecesGoFirstAndTheFirstTwoMayBeAskedOfASecondPeer() {
        PiecePicker p = new PiecePicker(layout, new BitSet(), new SplittableRandom(2));
        p.setUrgent(List.of(9, 3, 12));
        BlockSet first = new BlockSet();
        List<BlockRequest> a = p.pick(all(16), 12, first);
        a.forEach(first::add);
        assertEquals(List.of(9, 3, 12), pieces(a));
        BlockSet second = new BlockSet();
        List<BlockRequest> b = p.pick(all(16), 8, second);
        assertEquals(List.of(9, 3), pieces(b), "a second peer duplicates the two soonest");
        assertTrue(p.isUrgent(3) && !p.isUrgent(4));
    }

    @Test
    void higherLevelsGoFirstAndSkippedPiecesNeverAndDoNotInterest() {
        PiecePicker p = new PiecePicker(layout, new BitSet(), new SplittableRandom(3));
        byte[] levels = new byte[16];
        for (int i = 0; i < 8; i++) {
            levels[i] = (byte) FilePriority.NORMAL.ordinal();
            levels[8 + i] = (byte) FilePriority.HIGH.ordinal();
        }
        levels[15] = 0;
        p.setPieceLevels(levels);
        List<Integer> got = pieces(p.pick(all(16), 7 * 4, new BlockSet()));
        assertEquals(Set.of(8, 9, 10, 11, 12, 13, 14), new HashSet<>(got), "the high file's wanted pieces first");
        BitSet onlySkipped = new BitSet();
        onlySkipped.set(15);
        assertFalse(p.isInteresting(onlySkipped));
        assertTrue(p.pick(onlySkipped, 4, new BlockSet()).isEmpty());
        assertEquals(15, p.missingPieces());
    }
}
