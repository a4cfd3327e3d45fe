package io.kadtorrent.torrent.create;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PieceLengthChoiceTest {

    @Test
    void knownSizes() {
        assertEquals(16 << 10, PieceLengthChoice.forTotal(1));
        assertEquals(1 << 20, PieceLengthChoice.forTotal(1L << 30)); // 1 GiB -> 1,024 pieces
        assertEquals(16 << 20, PieceLengthChoice.forTotal(1L << 40)); // capped
    }

    @Property
    void isAPowerOfTwoInRangeGivingAtMost2000PiecesAndOver1000WhenPossible(
            @ForAll @LongRange(min = 1, max = 1L << 42) long total) {
        int length = PieceLengthChoice.forTotal(total);
        assertEquals(1, Integer.bitCount(length));
        assertTrue(length >= PieceLengthChoice.MIN_BYTES && length <= PieceLengthChoice.MAX_BYTES);
        long pieces = (total + length - 1) / length;
        if (length < PieceLengthChoice.MAX_BYTES) {
            assertTrue(pieces <= 2000, "pieces " + pieces);
        }
        if (length > PieceLengthChoice.MIN_BYTES) {
            assertTrue(pieces > 1000, "pieces " + pieces);
        }
    }
}
