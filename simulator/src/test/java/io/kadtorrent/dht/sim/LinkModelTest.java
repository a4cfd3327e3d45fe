package io.kadtorrent.dht.sim;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LinkModelTest {

    /** Log of a round trip (two one-way draws) for 20,000 random pairs of 100,000 nodes. */
    private static double[] logRtts(LinkModel link, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] out = new double[20_000];
        for (int i = 0; i < out.length; i++) {
            int a = random.nextInt(100_000);
            int b = random.nextInt(100_000);
            out[i] = Math.log(link.latencyMillis(random, seed, a, b) + link.latencyMillis(random, seed, b, a));
        }
        return out;
    }

    @Test
    void theStableModelsRoundTripsFollowTheMainlineFit() {
        // Log-normal, median 100 ms, sigma 0.8: quantiles 10 / 50 / 90 / 99 % at z = -1.28, 0, 1.28, 2.33.
        double[] stable = logRtts(LinkModel.mainlineStable(), 1);
        Arrays.sort(stable);
        double[] q = {0.1, 0.5, 0.9, 0.99};
        double[] z = {-1.2816, 0, 1.2816, 2.3263};
        for (int i = 0; i < q.length; i++) {
            double expected = Math.log(100) + 0.8 * z[i];
            assertEquals(expected, stable[(int) (q[i] * stable.length)], 0.08, "quantile " + q[i] + " within 8 %");
        }
    }

    @Test
    void theFreshModelsRoundTripIsNarrowerThanItsFit() {
        // Each direction is half of its own draw, so a query's round trip averages two draws: the fresh model's round
        // trips are less spread out than the fit it was drawn from (p10 / p50 / p90 / p99 about 54 / 114 / 247 / 474 ms
        // against the fit's 36 / 100 / 278 / 644; the stable model gives 37 / 101 / 278 / 643).
        double[] fresh = logRtts(LinkModel.mainline(), 1);
        Arrays.sort(fresh);
        assertTrue(fresh[fresh.length / 10] > Math.log(100) - 0.8 * 1.2816 + 0.2);
        assertTrue(fresh[fresh.length * 9 / 10] < Math.log(100) + 0.8 * 1.2816 - 0.1);
    }

    @Test
    void aPairKeepsItsRoundTripAndANodeItsSpeed() {
        LinkModel link = LinkModel.mainlineStable();
        SplittableRandom random = new SplittableRandom(2);
        long a1 = link.latencyMillis(random, 7, 10, 20);
        long a2 = link.latencyMillis(random, 7, 20, 10);
        double ratio = (double) Math.max(a1, a2) / Math.min(a1, a2);
        assertTrue(ratio < Math.exp(4 * 0.2 * Math.sqrt(2)), "the two directions differ by jitter only: " + a1 + ", " + a2);
        assertEquals(LinkModel.gaussian(7, 10, 20), LinkModel.gaussian(7, 10, 20), "the same seed and pair, the same draw");
        assertFalse(LinkModel.gaussian(7, 10, 20) == LinkModel.gaussian(8, 10, 20), "another seed, another network");
        assertTrue(LinkModel.mainlineStable().stable());
        assertFalse(LinkModel.mainline().stable());
        assertFalse(LinkModel.lossless().stable());
    }

    @Test
    void theFreshModelDrawsAsBefore() {
        // The old rows stay reproducible: one Gaussian per datagram from the network's random, nothing else.
        SplittableRandom a = new SplittableRandom(3);
        SplittableRandom b = new SplittableRandom(3);
        for (int i = 0; i < 100; i++) {
            assertEquals(LinkModel.mainline().latencyMillis(a), LinkModel.mainline().latencyMillis(b, 1, i, i + 1));
        }
    }
}
