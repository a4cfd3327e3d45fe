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
     * The active torrents' shares never add up to more than the limit (but for one byte per second per share,
     * which a share needs so as not to mean "unlimited"), an idle torrent gets only its small floor, none is 0,
     * and the division among the active ones is max-min fair: a torrent whose share is below what it asked for
     * gets at least as much as any other active torrent.
     */
    @Property(tries = 500)
    void sharesStayWithinTheLimitAndAreMaxMinFair(@ForAll("uses") List<LimitShares.Use> uses,
                                                   @ForAll @LongRange(min = 1, max = 1L << 32) long limit) {
        LimitShares.Use[] u = uses.toArray(LimitShares.Use[]::new);
        long[] shares = LimitShares.divide(limit, u, WINDOW);
        long floor = Math.max(1, limit / (4L * u.length));
        long activeSum = 0;
        long largestActive = 0;
        for (int i = 0; i < u.length; i++) {
            assertTrue(shares[i] >= 1);
            if (idle(u[i])) {
                assertEquals(floor, shares[i], "an idle torrent's floor");
            } else {
                activeSum += shares[i];
                largestActive = Math.max(largestActive, shares[i]);
            }
        }
        assertTrue(activeSum <= limit + shares.length, Arrays.toString(shares));
        for (int i = 0; i < u.length; i++) {
            if (idle(u[i])) {
                continue;
            }
            long used = u[i].bytes() * 1000 / WINDOW;
            long asked = u[i].heldBack() ? Long.MAX_VALUE : Math.max(floor, used + used / 4);
            if (shares[i] < asked) {
                assertTrue(shares[i] >= largestActive - 1, "share " + shares[i] + " below its demand " + asked
                        + " yet less than another's " + largestActive + ": " + Arrays.toString(shares));
            }
        }
    }

    private static boolean idle(LimitShares.Use u) {
        return u.bytes() == 0 && !u.heldBack();
    }

    @Test
    void whatOneTorrentLeavesUnusedGoesToTheOthersAndNoLimitMeansNoShares() {
        long limit = 1_000_000;
        LimitShares.Use idle = new LimitShares.Use(0, false);
        LimitShares.Use busy = new LimitShares.Use(limit / 2 * WINDOW / 1000, true);
        long[] shares = LimitShares.divide(limit, new LimitShares.Use[] {idle, busy, busy}, WINDOW);
        assertArrayEquals(new long[] {limit / 12, limit / 2, limit / 2}, shares,
                "the busy ones divide the whole limit; the idle one has a floor of its own");
        LimitShares.Use[] oneAmongIdle = new LimitShares.Use[100];
        java.util.Arrays.fill(oneAmongIdle, idle);
        oneAmongIdle[37] = busy;
        assertEquals(limit, LimitShares.divide(limit, oneAmongIdle, WINDOW)[37], "99 idle seeds take nothing from it");

        LimitShares.Use modest = new LimitShares.Use(100_000 * WINDOW / 1000, false); // 100 kB/s, not held back
        shares = LimitShares.divide(limit, new LimitShares.Use[] {modest, busy}, WINDOW);
        assertEquals(125_000, shares[0], "what it used and a quarter more, to notice it growing");
        assertEquals(limit - 125_000, shares[1]);

        assertArrayEquals(new long[] {0, 0}, LimitShares.divide(0, new LimitShares.Use[] {busy, idle}, WINDOW));
    }
}
