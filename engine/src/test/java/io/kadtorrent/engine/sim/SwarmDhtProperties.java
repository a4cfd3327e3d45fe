package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole swarms whose peers find each other only through the DHT ({@link SwarmDht}): real swarm cores, real
 * DHT engines, the production discovery, one virtual clock. Each failure message starts with the seed.
 */
class SwarmDhtProperties {

    private static final long KIB = 1 << 10;
    private static final long MIB = 1 << 20;
    private static final long MINUTE = 60_000;

    /**
     * 8-30 peers (one seed) join over 20 s, each knowing only the bootstrap node; 0-5 % of datagrams lost
     * and of frames retransmitted; up to a quarter of the leechers leave (swarm and DHT) and come back with
     * what they had; the seed leaves once the others hold every piece. Every leecher ends with a verified copy.
     */
    @Property(tries = 5, edgeCases = EdgeCasesMode.NONE)
    void everyPeerEndsWithAVerifiedCopyFindingPeersOnlyThroughTheDht(@ForAll("seeds") long seed,
                                                                     @ForAll("sizes") int peers,
                                                                     @ForAll("losses") double loss) {
        Swarm swarm = new Swarm(seed, loss, peers - 1);
        swarm.churn((peers - 1) / 4);
        assertTrue(swarm.runToCompletion(), swarm.sim + ": incomplete " + swarm.incomplete());
        assertFalse(swarm.origin.alive, swarm.sim + ": the seed never left");
        for (SimPeer p : swarm.leechers) {
            assertTrue(p.store.isComplete(), swarm.sim + ": " + p + " has " + p.store.verifiedCount() + " pieces");
        }
        assertTrue(swarm.dht.network().delivered() > 0, swarm.sim + ": the DHT carried nothing");
    }

    /**
     * examples/local-swarm.sh in virtual time: a seed and three clients, the seed leaving once they hold every
     * piece; after they completed, a fourth client that knows only the bootstrap node completes from the
     * former downloaders.
     */
    @Example
    void lateJoinerCompletesFromFormerDownloadersAfterTheSeedLeft() {
        Swarm swarm = new Swarm(42, 0.01, 3);
        assertTrue(swarm.runToCompletion(), swarm.sim + ": incomplete " + swarm.incomplete());
        swarm.sim.runUntil(() -> false, MINUTE); // the former downloaders keep seeding; the DHT keeps their entries
        SimPeer late = swarm.dht.join(PeerSpec.leecher(MIB, 4 * MIB));
        assertTrue(swarm.sim.runUntil(late::isComplete, 10 * MINUTE), swarm.sim + ": the late joiner is incomplete");
        assertFalse(swarm.origin.alive);
        assertEquals(swarm.sim.torrent().metainfo().totalBytes(), late.stats.downloadedBytes,
                swarm.sim + ": the late joiner downloaded a block twice");
    }

    /** The same seed replays the same run: every event, every DHT delivery, every completion time. */
    @Example
    void sameSeedReplaysTheSameRun() {
        List<Long> first = runWithChurn(7);
        assertEquals(first, runWithChurn(7));
        assertNotEquals(first, runWithChurn(8), "a digest that ignores the seed proves nothing");
    }

    private static List<Long> runWithChurn(long seed) {
        Swarm swarm = new Swarm(seed, 0.05, 10);
        swarm.churn(3);
        List<Long> digest = swarm.digestOfRun();
        assertTrue(swarm.rejoins > 0, swarm.sim + ": no peer left and came back; the replay skips that path");
        return digest;
    }

    /** One seed and {@code leechers} peers that join at random times in the first 20 s, all through the DHT. */
    private static final class Swarm {

        final SwarmSimulation sim;
        final SwarmDht dht;
        final SimPeer origin;
        final List<SimPeer> leechers = new ArrayList<>();
        final int expected;
        int rejoins;

        Swarm(long seed, double loss, int leechers) {
            LinkModel link = LinkModel.lossless().withLoss(loss);
            sim = new SwarmSimulation(seed, SyntheticTorrent.of(seed, 512 * KIB + 12_345, (int) (32 * KIB)), link,
                    SwarmConfig.defaults(), new CountingAllocator());
            dht = new SwarmDht(sim, link);
            expected = leechers;
            origin = dht.join(PeerSpec.seeder(MIB));
            SplittableRandom random = new SplittableRandom(seed);
            for (int i = 0; i < leechers; i++) {
                PeerSpec spec = PeerSpec.leecher((1 + random.nextInt(8)) * 128 * KIB, 4 * MIB);
                sim.at(random.nextLong(20_000), () -> this.leechers.add(dht.join(spec)));
            }
            leaveWhenOthersHoldEverything();
        }

        /** {@code count} times from 2-22 s on, a random incomplete leecher leaves and comes back 1-20 s later. */
        void churn(int count) {
            SplittableRandom random = sim.random().split();
            for (int i = 0; i < count; i++) {
                long backAfter = 1_000 + random.nextLong(20_000);
                sim.at(2_000 + random.nextLong(20_000), () -> leaveAndComeBack(random, backAfter));
            }
        }

        /** Waits (up to 40 s in) for an incomplete leecher, which leaves now and comes back later. */
        private void leaveAndComeBack(SplittableRandom random, long backAfter) {
            List<SimPeer> alive = leechers.stream().filter(p -> p.alive && !p.isComplete()).toList();
            if (alive.isEmpty()) {
                if (sim.now() < 40_000) {
                    sim.at(sim.now() + 500, () -> leaveAndComeBack(random, backAfter));
                }
                return;
            }
            SimPeer p = alive.get(random.nextInt(alive.size()));
            dht.leave(p);
            sim.at(sim.now() + backAfter, () -> {
                dht.rejoin(p);
                rejoins++;
            });
        }

        private void leaveWhenOthersHoldEverything() {
            sim.at(sim.now() + 1_000, () -> {
                if (leechers.size() == expected && sim.othersHoldEverything(origin)) {
                    dht.leave(origin);
                } else {
                    leaveWhenOthersHoldEverything();
                }
            });
        }

        /** Runs until every leecher completed and the seed left (30 virtual minutes at most). */
        boolean runToCompletion() {
            return sim.runUntil(() -> !origin.alive && leechers.size() == expected
                    && leechers.stream().allMatch(SimPeer::isComplete), 30 * MINUTE);
        }

        List<SimPeer> incomplete() {
            return leechers.stream().filter(p -> !p.isComplete()).toList();
        }

        List<Long> digestOfRun() {
            assertTrue(runToCompletion(), sim + ": incomplete " + incomplete());
            List<Long> digest = new ArrayList<>(List.of(sim.events().processed(), sim.now(),
                    dht.network().traceDigest(), dht.network().delivered()));
            leechers.forEach(p -> digest.add(p.stats.completedAtMillis));
            return digest;
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(8, 30).withDistribution(RandomDistribution.uniform());
    }

    /** 0 to 5 %, for DHT datagrams and peer-wire retransmissions alike. */
    @Provide
    Arbitrary<Double> losses() {
        return Arbitraries.integers().between(0, 50).withDistribution(RandomDistribution.uniform()).map(p -> p / 1000.0);
    }
}
