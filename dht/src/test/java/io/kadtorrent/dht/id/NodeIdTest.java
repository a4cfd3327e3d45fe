package io.kadtorrent.dht.id;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void parsesHexAndRejectsWrongLength() {
        NodeId id = NodeId.parse("0123456789abcdef0123456789abcdef01234567");
        assertEquals("0123456789abcdef0123456789abcdef01234567", id.hex());
        assertThrows(IllegalArgumentException.class, () -> NodeId.of(new byte[19]));
    }
}
