package io.kadtorrent.engine.swarm;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LimitSharesProperties {

    private static final long WINDOW = 250;

    @Provide
    Arbitrary<List<LimitShares.Use>> uses() {
        Arbitrary<LimitShares.Use> one = Combinators.combine(
                Arbitraries.longs().between(0, 50L << 20), Arbitraries.of(true, false)).as(LimitShares.Use::new);
        return one.list().ofMinSize(1).ofMaxSize(40);
    }

    /**
     * The shares never add up to more than the limit (but for one byte per second per share, which a share
     * needs so as not to mean "unlimited"), none is 0, and the division is max-min fair: a torrent whose
     * share is below what it asked for gets at least as much as any other torrent.
     */
    @Property(tries = 500)
    void sharesStayWithinTheLimitAndAreMaxMinFair(@ForAll("uses") List<LimitShares.Use> uses,
                                                   @ForAll @LongRange(min = 1, max = 1L << 32) long limit) {
        LimitShares.Use[] u = uses.toArray(LimitShares.Use[]::new);
        long[] shares = LimitShares.divide(limit, u, WINDOW);
        assertTrue(Arrays.stream(shares).sum() <= limit + shares.length, Arrays.toString(shares));
        assertTrue(Arrays.stream(shares).allMatch(s -> s >= 1));
        long floor = Math.max(1, limit / (4L * u.length));
        long largest = Arrays.stream(shares).max().orElseThrow();
        for (int i = 0; i < u.length; i++) {
            long used = u[i].bytes() * 1000 / WINDOW;
            long asked = u[i].heldBack() ? Long.MAX_VALUE : Math.max(floor, used + used / 4);
            if (shares[i] < asked) {
                assertTrue(shares[i] >= largest - 1, "share " + shares[i] + " below its demand " + asked
                        + " yet less than another's " + largest + ": " + Arrays.toString(shares));
            }
        }
    }

    @Test
    void whatOneTorrentLeavesUnusedGoesToTheOthersAndNoLimitMeansNoShares() {
        long limit = 1_000_000;
        LimitShares.Use idle = new LimitShares.Use(0, false);
        LimitShares.Use busy = new LimitShares.Use(limit / 2 * WINDOW / 1000, true);
        long[] shares = LimitShares.divide(limit, new LimitShares.Use[] {idle, busy, busy}, WINDOW);
        long floor = limit / 12;
        assertArrayEquals(new long[] {floor, (limit - floor) / 2, limit - floor - (limit - floor) / 2}, shares);

        LimitShares.Use modest = new LimitShares.Use(100_000 * WINDOW / 1000, false); // 100 kB/s, not held back
        shares = LimitShares.divide(limit, new LimitShares.Use[] {modest, busy}, WINDOW);
        assertEquals(125_000, shares[0], "what it used and a quarter more, to notice it growing");
        assertEquals(limit - 125_000, shares[1]);

        assertArrayEquals(new long[] {0, 0}, LimitShares.divide(0, new LimitShares.Use[] {busy, idle}, WINDOW));
    }
}
