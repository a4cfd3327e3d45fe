package io.kadtorrent.dht.id;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeIdTest {

    private static final NodeId ZERO = NodeId.of(new byte[20]);

    @Test
    void commonPrefixLengthCountsLeadingEqualBits() {
        assertEquals(160, ZERO.commonPrefixLength(ZERO));
        assertEquals(0, ZERO.commonPrefixLength(ZERO.withBitFlipped(0)));
        assertEquals(13, ZERO.commonPrefixLength(ZERO.withBitFlipped(13)));
        assertEquals(159, ZERO.commonPrefixLength(ZERO.withBitFlipped(159)));
    }

    @Test
    void xorDistanceOrdersByHighestDifferingBit() {
        NodeId near = ZERO.withBitFlipped(150);
        NodeId far = ZERO.withBitFlipped(3);
        assertTrue(ZERO.compareDistance(near, far) < 0);
        assertTrue(ZERO.compareDistance(far, near) > 0);
        assertEquals(0, ZERO.compareDistance(far, far));
    }

    @Test
    void randomWithPrefixKeepsThePrefixBits() {
        SplittableRandom random = new SplittableRandom(1);
        NodeId prefix = NodeId.random(random);
        for (int bits = 0; bits <= 160; bits += 7) {
            assertTrue(prefix.commonPrefixLength(NodeId.randomWithPrefix(prefix, bits, random)) >= bits);
        }
    }

    @Test
    void writesItsWordsAsItsBytesAndFindsItselfInABuffer() {
        NodeId id = NodeId.random(new SplittableRandom(7));
        byte[] buffer = new byte[25];
        NodeId.writeWords(id.word(0), id.word(1), id.word(2), buffer, 3);
        assertEquals(id, NodeId.of(buffer, 3));
        assertTrue(id.isAt(buffer, 3));
        assertFalse(id.isAt(buffer, 2));
        buffer[22] ^= 1;
        assertFalse(id.isAt(buffer, 3));
    }

    @Test
    void parsesHexAndRejectsWrongLength() {
        NodeId id = NodeId.parse("0123456789abcdef0123456789abcdef01234567");
        assertEquals("0123456789abcdef0123456789abcdef01234567", id.hex());
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[19]));
    }

    @Test
    void wordsRebuildTheIdAndOrderDistances() {
        SplittableRandom random = new SplittableRandom(7);
        NodeId target = NodeId.random(random);
        for (int i = 0; i < 200; i++) {
            NodeId a = NodeId.random(random);
            NodeId b = NodeId.randomWithPrefix(a, i % 160, random);
            assertEquals(a, NodeId.ofWords(a.word(0), a.word(1), a.word(2)));
            int byWords = Long.compareUnsigned(a.word(0) ^ target.word(0), b.word(0) ^ target.word(0));
            if (byWords == 0) {
                byWords = Long.compareUnsigned(a.word(1) ^ target.word(1), b.word(1) ^ target.word(1));
            }
            if (byWords == 0) {
                byWords = Long.compare(a.word(2) ^ target.word(2), b.word(2) ^ target.word(2));
            }
            assertEquals(Integer.signum(target.compareDistance(a, b)), Integer.signum(byWords));
        }
    }
}
