package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attack: a downloader is attacked by a peer that floods it with blocks and keep-alives;
 * an honest seeder arrives a few seconds later. The downloader bans the flooder, never dials it again,
 * and completes from the seeder.
 */
class FloodAttackSimulationTest {

    private static final long MIB = 1 << 20;

    @Test
    void downloaderAttackedByAFlooderCompletesFromASeederThatArrivesLater() {
        for (long seed : List.of(1L, 2L, 3L)) {
            SwarmSimulation sim = new SwarmSimulation(seed, SyntheticTorrent.of(seed, 4 * MIB + 777, 256 * 1024),
                    LinkModel.lossless(), SwarmConfig.defaults(), new CountingAllocator());
            SimPeer flooder = sim.join(new PeerSpec(Behaviour.FLOOD, 10 * MIB, 10 * MIB, false), 0);
            SimPeer victim = sim.join(PeerSpec.leecher(MIB, 10 * MIB), 1);
            SimPeer[] seeder = new SimPeer[1];
            sim.at(3_000, () -> {
                seeder[0] = sim.join(PeerSpec.seeder(2 * MIB), 0);
                sim.introduce(victim, 2); // the victim's peer source finds the seeder too
            });
            boolean done = sim.runUntil(victim::isComplete, 10 * 60_000);
            assertTrue(done, sim + ": the victim did not complete");
            assertTrue(victim.stats.banned.contains(flooder.index), sim + ": the flooder was not banned");
            assertEquals(0, victim.stats.redialsOfBanned, sim + ": the victim dialled the flooder again");
            assertTrue(victim.stats.completedAtMillis < 3_000 + 30_000,
                    sim + ": completed only at " + victim.stats.completedAtMillis + " ms");
            sim.leave(victim);
            sim.leave(flooder);
            sim.leave(seeder[0]);
            sim.runUntil(() -> false, 60_000);
            assertEquals(0, sim.blocks().unreleased(), sim + ": received blocks never released");
        }
    }
}
