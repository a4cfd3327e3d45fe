package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmSimulationTest {

    private static final long MIB = 1 << 20;

    @Test
    void tenLeechersCompleteFromOneSeed() {
        SyntheticTorrent t = SyntheticTorrent.of(7, 4 * MIB + 12_345, 64 * 1024);
        CountingAllocator blocks = new CountingAllocator();
        SwarmSimulation sim = new SwarmSimulation(7, t, LinkModel.lossless(), SwarmConfig.defaults(), blocks);
        sim.join(PeerSpec.seeder(2 * MIB), 0);
        for (int i = 0; i < 10; i++) {
            sim.join(PeerSpec.leecher(MIB, 4 * MIB), 5);
        }
        long t0 = System.nanoTime();
        boolean done = sim.runUntil(() -> sim.peers().stream().allMatch(SimPeer::isComplete), 600_000);
        System.out.printf("done=%s at %d ms, %d events, %.2f s wall%n", done, sim.now(), sim.events().processed(),
                (System.nanoTime() - t0) / 1e9);
        for (SimPeer p : sim.peers()) {
            System.out.println(p + " completed " + p.stats.completionMillis() + " up " + p.stats.uploadedBytes + " down "
                    + p.stats.downloadedBytes);
        }
        assertTrue(done, sim.toString());
        sim.runUntil(() -> false, 60_000);
        assertEquals(0, blocks.unreleased());
    }
}
