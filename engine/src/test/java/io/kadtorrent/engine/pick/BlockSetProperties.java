package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BlockSet} answers as a {@code HashSet<BlockRequest>} would, through growth and deletions. */
class BlockSetProperties {

    @Property(tries = 200)
    void behavesAsAHashSet(@ForAll long seed, @ForAll @IntRange(min = 1, max = 3000) int steps,
                           @ForAll @IntRange(min = 1, max = 40) int pieces) {
        SplittableRandom r = new SplittableRandom(seed);
        BlockSet set = new BlockSet();
        Set<BlockRequest> model = new HashSet<>();
        for (int step = 0; step < steps; step++) {
            int piece = r.nextInt(pieces);
            int begin = r.nextInt(20) * BlockRequest.BLOCK_SIZE;
            int length = r.nextInt(8) == 0 ? 1 + r.nextInt(BlockRequest.BLOCK_SIZE) : BlockRequest.BLOCK_SIZE;
            BlockRequest b = new BlockRequest(piece, begin, length);
            switch (r.nextInt(7)) {
                case 0, 1, 2 -> assertEquals(model.add(b), set.add(b), "add " + b);
                case 3, 4 -> assertEquals(model.remove(b), set.remove(b), "remove " + b);
                case 5 -> assertEquals(model.contains(b), set.contains(b), "contains " + b);
                default -> {
                    if (r.nextInt(50) == 0) {
                        int before = model.size();
                        model.removeIf(x -> x.pieceIndex() == piece);
                        assertEquals(before - model.size(), set.removePiece(piece), "remove piece " + piece);
                    } else if (r.nextInt(200) == 0) {
                        model.clear();
                        set.clear();
                    }
                }
            }
            assertEquals(model.size(), set.size());
        }
        assertEquals(model, new HashSet<>(set.toList()));
    }

    @Property(tries = 50)
    void blocksItCannotHoldAreNeverMembers(@ForAll @IntRange(min = 1, max = BlockRequest.BLOCK_SIZE - 1) int offset) {
        BlockSet set = new BlockSet();
        BlockRequest unaligned = new BlockRequest(3, offset, 100);
        BlockRequest tooLong = new BlockRequest(3, 0, BlockRequest.BLOCK_SIZE + offset);
        assertThrows(IllegalArgumentException.class, () -> set.add(unaligned));
        assertThrows(IllegalArgumentException.class, () -> set.add(tooLong));
        assertFalse(set.contains(unaligned) || set.remove(unaligned) || set.contains(tooLong) || set.remove(tooLong));
        set.add(new BlockRequest(3, 0, 100));
        assertFalse(set.contains(new BlockRequest(3, 0, 101)), "the length is part of the block");
    }
}
