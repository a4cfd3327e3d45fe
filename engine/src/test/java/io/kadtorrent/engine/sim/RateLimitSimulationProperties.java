package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.engine.wire.BlockRequest;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits in simulated swarms: over every 10 s window while there is demand, a limited peer moves
 * within 5 % of its limit (block bytes; the limit also counts the messages' headers).
 */
class RateLimitSimulationProperties {

    private static final long KIB = 1 << 10;
    private static final long MIB = 1 << 20;
    private static final long WINDOW_MILLIS = 10_000;
    private static final double TOLERANCE = 0.05;

    @Property(tries = 6)
    void anUploadLimitHoldsOverEveryTenSecondWindow(@ForAll("seeds") long seed,
                                                    @ForAll @LongRange(min = 200, max = 800) long limitKib) {
        long limit = limitKib * KIB;
        SwarmSimulation sim = new SwarmSimulation(seed, SyntheticTorrent.of(seed, 40 * MIB, (int) (256 * KIB)),
                LinkModel.lossless(), SwarmConfig.defaults(), new CountingAllocator());
        SimPeer origin = sim.join(PeerSpec.seeder(0), 0);
        origin.limitRates(limit, 0);
        List<SimPeer> leechers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            leechers.add(sim.join(PeerSpec.leecher(0, 0), 4));
        }
        List<Long> windows = windows(sim, () -> origin.stats.uploadedBytes,
                () -> leechers.stream().anyMatch(p -> !p.isComplete()), 10 * 60_000);
        double expected = limit * (double) BlockRequest.BLOCK_SIZE / (BlockRequest.BLOCK_SIZE + 13) * WINDOW_MILLIS / 1000;
        assertWithin(sim, "upload", windows, expected);
    }

    @Property(tries = 6)
    void aDownloadLimitHoldsOverEveryTenSecondWindow(@ForAll("seeds") long seed,
                                                     @ForAll @LongRange(min = 200, max = 800) long limitKib) {
        long limit = limitKib * KIB;
        SwarmSimulation sim = new SwarmSimulation(seed, SyntheticTorrent.of(seed, 40 * MIB, (int) (256 * KIB)),
                LinkModel.lossless(), SwarmConfig.defaults(), new CountingAllocator());
        sim.join(PeerSpec.seeder(0), 0);
        sim.join(PeerSpec.seeder(0), 0);
        SimPeer limited = sim.join(PeerSpec.leecher(0, 0), 2);
        limited.limitRates(0, limit);
        List<Long> windows = windows(sim, () -> limited.stats.downloadedBytes, () -> !limited.isComplete(), 10 * 60_000);
        double expected = limit * (double) BlockRequest.BLOCK_SIZE / (BlockRequest.BLOCK_SIZE + 30) * WINDOW_MILLIS / 1000;
        assertWithin(sim, "download", windows, expected);
    }

    /**
     * Bytes moved in each whole 10 s window from 10 s after the start while {@code demand} holds (the first
     * window is warm-up: connections, the bucket starting full).
     */
    private static List<Long> windows(SwarmSimulation sim, LongSupplier bytes, java.util.function.BooleanSupplier demand,
                                      long maxMillis) {
        List<Long> out = new ArrayList<>();
        long start = sim.now();
        sim.runUntil(() -> false, WINDOW_MILLIS);
        long before = bytes.getAsLong();
        for (long t = WINDOW_MILLIS; t < maxMillis; t += WINDOW_MILLIS) {
            sim.runUntil(() -> false, WINDOW_MILLIS);
            if (!demand.getAsBoolean()) {
                break; // the last window ran out of demand part-way
            }
            long now = bytes.getAsLong();
            out.add(now - before);
            before = now;
        }
        assertTrue(sim.now() - start < maxMillis, sim + ": demand never ended");
        return out;
    }

    private static void assertWithin(SwarmSimulation sim, String what, List<Long> windows, double expected) {
        assertTrue(windows.size() >= 3, sim + ": only " + windows.size() + " whole windows of demand");
        for (long w : windows) {
            double ratio = w / expected;
            assertTrue(Math.abs(ratio - 1) <= TOLERANCE, String.format(java.util.Locale.ROOT,
                    "%s: %s window of %d bytes is %.3f of the limit (windows %s, expected %.0f)", sim, what, w, ratio,
                    windows, expected));
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
    }
}
