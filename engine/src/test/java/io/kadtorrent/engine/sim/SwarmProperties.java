package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole-swarm properties over random swarms: real cores, real wire bytes, virtual time. Each failure
 * message starts with the simulation's seed, which replays it exactly.
 */
class SwarmProperties {

    private static final long KIB = 1 << 10;
    private static final long MIB = 1 << 20;
    private static final long MINUTE = 60_000;
    /**
     * Measured over 80 random tries (30-40 leechers, 64 pieces): 1.49-2.00 copies, median 1.74, 90th
     * percentile 1.87; above the ideal 1 mostly because every leecher picks its first 4 pieces at random
     * ({@code PiecePicker.RANDOM_FIRST_PIECES}), 120-160 random picks over 64 pieces that only the seed has.
     * The bound leaves room above the largest measured value (1.996, a hair under the 2.0 used before); a
     * picker that ignores rarity sends about 3.
     */
    private static final double MAX_SEED_COPIES = 2.25;
    /**
     * Share of the uploaders' bytes from leechers that a free-rider may get: measured 0.16-0.47 over 12 seeds
     * (8-14 uploaders, 2-4 free-riders); a choker blind to reciprocation gives about 1, as the seed-bound swarm
     * of {@link #freeRidersFinishLaterThanUploaders} shows.
     */
    private static final double MAX_FREE_RIDER_SHARE = 0.6;

    /**
     * Random sparse topologies (each joiner knows 2-6 peers; peers that want more are introduced again every
     * 10 s), random capacities, 10 % loss as retransmissions, churn: a third of the leechers leave and come
     * back with what they had, newcomers arrive, and the original seed leaves once the others hold every
     * piece. Every honest peer ends with a verified copy (the invariants check the store on the way).
     */
    @Property(tries = 12)
    void everyHonestPeerEndsWithAVerifiedCopyUnderChurn(@ForAll("seeds") long seed,
                                                        @ForAll @IntRange(min = 6, max = 16) int leechers,
                                                        @ForAll @IntRange(min = 2, max = 6) int introductions) {
        SwarmSimulation sim = newSimulation(seed, 2 * MIB + 12_345, 64 * KIB, LinkModel.lossless().withLoss(0.1));
        CountingAllocator blocks = counting(sim);
        SplittableRandom random = new SplittableRandom(seed);
        SimPeer origin = sim.join(PeerSpec.seeder(MIB), 0);
        List<SimPeer> honest = new ArrayList<>();
        for (int i = 0; i < leechers; i++) {
            long joinAt = random.nextLong(20_000);
            PeerSpec spec = PeerSpec.leecher((1 + random.nextInt(8)) * 128 * KIB, 4 * MIB);
            sim.at(joinAt, () -> honest.add(sim.join(spec, introductions)));
        }
        sim.introduceEvery(10_000, introductions);
        for (int i = 0; i < leechers / 3; i++) {
            long leaveAt = 5_000 + random.nextLong(30_000);
            long backAfter = 1_000 + random.nextLong(20_000);
            sim.at(leaveAt, () -> churn(sim, honest, random, backAfter, introductions));
        }
        leaveWhenOthersHoldEverything(sim, origin);
        boolean done = sim.runUntil(() -> honest.size() == leechers && honest.stream().allMatch(SimPeer::isComplete),
                30 * MINUTE);
        assertTrue(done, sim + ": incomplete " + honest.stream().filter(p -> !p.isComplete()).toList());
        assertNoBlockLeaked(sim, blocks);
    }

    private static void churn(SwarmSimulation sim, List<SimPeer> honest, SplittableRandom random, long backAfter,
                              int introductions) {
        List<SimPeer> alive = honest.stream().filter(p -> p.alive && !p.isComplete()).toList();
        if (alive.isEmpty()) {
            return;
        }
        SimPeer p = alive.get(random.nextInt(alive.size()));
        sim.leave(p);
        sim.at(sim.now() + backAfter, () -> sim.rejoin(p, introductions));
    }

    private static void leaveWhenOthersHoldEverything(SwarmSimulation sim, SimPeer origin) {
        sim.at(sim.now() + 1_000, () -> {
            if (sim.othersHoldEverything(origin)) {
                sim.leave(origin);
            } else {
                leaveWhenOthersHoldEverything(sim, origin);
            }
        });
    }

    /**
     * One or two misbehaving peers with every piece (so everyone wants their data) among honest ones:
     * each is dropped and banned by every honest peer it sent enough bad data to, never re-dialled once
     * banned, no honest peer is ever banned or closed as misbehaving, and every honest peer completes.
     */
    @Property(tries = 15)
    void misbehavingPeersAreBannedAndStallNobody(@ForAll("seeds") long seed,
                                                 @ForAll("attacks") Behaviour attack,
                                                 @ForAll @IntRange(min = 4, max = 10) int leechers,
                                                 @ForAll @IntRange(min = 1, max = 2) int attackers) {
        SwarmSimulation sim = newSimulation(seed, 2 * MIB, 64 * KIB, LinkModel.lossless());
        CountingAllocator blocks = counting(sim);
        List<SimPeer> honest = new ArrayList<>();
        List<SimPeer> bad = new ArrayList<>();
        honest.add(sim.join(PeerSpec.seeder(512 * KIB), 0));
        for (int i = 0; i < attackers; i++) {
            bad.add(sim.join(new PeerSpec(attack, 2 * MIB, 4 * MIB, true), 0));
        }
        for (int i = 0; i < leechers; i++) {
            honest.add(sim.join(PeerSpec.leecher(256 * KIB, 4 * MIB), leechers + attackers));
        }
        boolean done = sim.runUntil(() -> honest.stream().allMatch(SimPeer::isComplete), 30 * MINUTE);
        assertTrue(done, sim + ": " + attack + " stalled " + honest.stream().filter(p -> !p.isComplete()).toList());
        for (SimPeer p : honest) {
            assertEquals(0, p.stats.redialsOfBanned, sim + ": " + p + " re-dialled a peer it banned");
            for (SimPeer q : honest) {
                assertTrue(!p.stats.banned.contains(q.index) && !p.stats.misbehaviourCloses.containsKey(q.index),
                        sim + ": honest " + p + " banned or dropped honest " + q + ": " + p.stats.misbehaviourCloses);
            }
            for (SimPeer a : bad) {
                long received = p.stats.attackBytesFrom.getOrDefault(a.index, 0L);
                if (received >= enoughToBeCaught(attack)) {
                    assertTrue(p.stats.banned.contains(a.index), sim + ": " + p + " got " + received + " bytes from "
                            + a + " and did not ban it; closes " + p.stats.misbehaviourCloses);
                }
            }
        }
        assertNoBlockLeaked(sim, blocks);
    }

    /**
     * Bytes of a misbehaving peer's traffic after which the core must have banned it: 2 MiB of blocks nobody
     * asked for (the core allows 1 MiB), a few KiB of keep-alives (it allows 20 a minute), or four
     * pieces' worth of bad blocks (a piece's sole author is banned at once, a co-author at its third strike).
     */
    private static long enoughToBeCaught(Behaviour b) {
        return switch (b) {
            case KEEPALIVE_FLOOD -> 4 * 100;
            case BLOCK_FLOOD, MISLABEL -> 2 * MIB + 64 * KIB;
            default -> 4 * 64 * KIB + 4 * KIB;
        };
    }

    /**
     * Tit-for-tat between leechers, where upload capacity is what is scarce (the seed sends 2 MiB/s, each
     * uploader 256 KiB/s, 16 MiB each): by the time a quarter of the uploaders are done, a free-rider (never
     * unchokes) got from the other leechers at most {@link #MAX_FREE_RIDER_SHARE} of what an uploader got from
     * them. Bytes from the seed do not count: a seed cannot tell who reciprocates.
     */
    @Property(tries = 8, seed = "20261201")
    void freeRidersGetLessFromLeechersThanUploaders(@ForAll("seeds") long seed,
                                                    @ForAll @IntRange(min = 8, max = 14) int uploaders,
                                                    @ForAll @IntRange(min = 2, max = 4) int freeRiders) {
        SwarmSimulation sim = newSimulation(seed, 16 * MIB, 128 * KIB, LinkModel.lossless());
        SimPeer origin = sim.join(PeerSpec.seeder(2 * MIB), 0);
        List<SimPeer> up = new ArrayList<>();
        List<SimPeer> riders = new ArrayList<>();
        joinUploadersAndFreeRiders(sim, PeerSpec.leecher(256 * KIB, 4 * MIB), uploaders, freeRiders, up, riders);
        boolean quarter = sim.runUntil(() -> 4 * up.stream().filter(SimPeer::isComplete).count() >= up.size(),
                30 * MINUTE);
        assertTrue(quarter, sim + ": uploaders did not finish");
        double perUploader = bytesFromLeechers(sim, origin, up);
        double perRider = bytesFromLeechers(sim, origin, riders);
        System.out.printf("tit-for-tat seed %d: from leechers, %.1f MiB per uploader, %.1f MiB per free-rider%n",
                seed, perUploader / MIB, perRider / MIB);
        assertTrue(perRider <= MAX_FREE_RIDER_SHARE * perUploader, sim + ": a free-rider got " + perRider
                + " bytes from leechers, an uploader " + perUploader);
    }

    /**
     * Tit-for-tat by completion time, in a swarm bound by the seed (512 KiB/s, as fast as each uploader):
     * the free-riders finish later, on median, than the peers that upload. What makes it hold is the leechers'
     * credit ({@code Uploads.overdrawn}); slots alone never did (the leechers' uplinks are half idle here).
     * Measured on branch tft2 over 30 seeds: riders' median 1.09-1.30 of the uploaders'.
     */
    @Property(tries = 10)
    void freeRidersFinishLaterThanUploaders(@ForAll("seeds") long seed,
                                            @ForAll @IntRange(min = 8, max = 14) int uploaders,
                                            @ForAll @IntRange(min = 2, max = 4) int freeRiders) {
        SwarmSimulation sim = newSimulation(seed, 16 * MIB, 128 * KIB, LinkModel.lossless());
        sim.join(PeerSpec.seeder(512 * KIB), 0);
        List<SimPeer> up = new ArrayList<>();
        List<SimPeer> riders = new ArrayList<>();
        joinUploadersAndFreeRiders(sim, PeerSpec.leecher(512 * KIB, 4 * MIB), uploaders, freeRiders, up, riders);
        boolean done = sim.runUntil(() -> up.stream().allMatch(SimPeer::isComplete), 30 * MINUTE);
        assertTrue(done, sim + ": uploaders did not finish");
        sim.runUntil(() -> riders.stream().allMatch(SimPeer::isComplete), 30 * MINUTE);
        double uploadersMedian = median(up);
        double ridersMedian = median(riders);
        System.out.printf("tit-for-tat seed %d: uploaders' median %.0f ms, free-riders' %.0f ms%n", seed,
                uploadersMedian, ridersMedian);
        assertTrue(ridersMedian > uploadersMedian, sim + ": free-riders' median completion " + ridersMedian
                + " ms <= uploaders' " + uploadersMedian + " ms");
    }

    /** All join at once and everyone knows everyone; every fourth joiner is a free-rider. */
    private static void joinUploadersAndFreeRiders(SwarmSimulation sim, PeerSpec spec, int uploaders, int freeRiders,
                                                   List<SimPeer> up, List<SimPeer> riders) {
        int everyone = uploaders + freeRiders + 1;
        for (int i = 0; i < uploaders + freeRiders; i++) {
            boolean rider = i % 4 == 3 && riders.size() < freeRiders;
            (rider ? riders : up).add(sim.join(rider ? spec.with(Behaviour.FREE_RIDER) : spec, everyone));
        }
        while (riders.size() < freeRiders) {
            riders.add(sim.join(PeerSpec.leecher(MIB, 4 * MIB).with(Behaviour.FREE_RIDER), everyone));
        }
    }

    /** Mean block bytes each of {@code peers} received from peers other than {@code seed}. */
    private static double bytesFromLeechers(SwarmSimulation sim, SimPeer seed, List<SimPeer> peers) {
        long sum = 0;
        for (SimPeer p : peers) {
            for (var e : p.core().downloadedByPeer().entrySet()) {
                if (sim.peerAt(e.getKey()) != seed) {
                    sum += e.getValue();
                }
            }
        }
        return sum / (double) peers.size();
    }

    /**
     * Rarest-first: a flash crowd of 30-40 leechers with the seed's upload no faster than theirs. The seed
     * sends little more than one copy before the leechers together hold every piece (bound
     * {@link #MAX_SEED_COPIES}), and endgame finishes the tail: the last leecher is done
     * within 30 s of the median one.
     */
    @Property(tries = 10)
    void seedUploadsLittleMoreThanOneCopyInAFlashCrowd(@ForAll("seeds") long seed,
                                                       @ForAll @IntRange(min = 30, max = 40) int leechers) {
        long size = 8 * MIB;
        SwarmSimulation sim = newSimulation(seed, size, 128 * KIB, LinkModel.lossless());
        SimPeer origin = sim.join(PeerSpec.seeder(MIB), 0);
        List<SimPeer> crowd = new ArrayList<>();
        for (int i = 0; i < leechers; i++) {
            crowd.add(sim.join(PeerSpec.leecher(MIB, 4 * MIB), 20));
        }
        sim.introduceEvery(10_000, 10);
        boolean covered = sim.runUntil(() -> sim.othersHoldEverything(origin), 30 * MINUTE);
        assertTrue(covered, sim + ": the crowd never held every piece");
        double copies = origin.stats.uploadedBytes / (double) size;
        boolean done = sim.runUntil(() -> crowd.stream().allMatch(SimPeer::isComplete), 30 * MINUTE);
        assertTrue(done, sim + ": the crowd did not finish");
        System.out.printf("rarest-first seed %d: %.3f copies until the crowd held every piece%n", seed, copies);
        assertTrue(copies <= MAX_SEED_COPIES, sim + ": the seed uploaded " + copies + " copies");
        List<Long> times = crowd.stream().map(p -> p.stats.completionMillis()).sorted().toList();
        long tail = times.get(times.size() - 1) - times.get(times.size() / 2);
        assertTrue(tail <= 30_000, sim + ": last leecher " + tail + " ms after the median one");
    }

    // ---- helpers ----

    private static SwarmSimulation newSimulation(long seed, long size, long pieceBytes, LinkModel link) {
        return new SwarmSimulation(seed, SyntheticTorrent.of(seed, size, (int) pieceBytes), link,
                SwarmConfig.defaults(), new CountingAllocator());
    }

    private static CountingAllocator counting(SwarmSimulation sim) {
        return sim.blocks();
    }

    private static void assertNoBlockLeaked(SwarmSimulation sim, CountingAllocator blocks) {
        for (SimPeer p : sim.peers()) {
            if (p.alive) {
                sim.leave(p);
            }
        }
        sim.runUntil(() -> false, MINUTE);
        assertEquals(0, blocks.unreleased(), sim + ": received blocks never released");
    }

    private static double median(List<SimPeer> peers) {
        List<Long> t = peers.stream().map(p -> p.isComplete() ? p.stats.completionMillis() : Long.MAX_VALUE / 2)
                .sorted().toList();
        return t.size() % 2 == 1 ? t.get(t.size() / 2) : (t.get(t.size() / 2 - 1) + t.get(t.size() / 2)) / 2.0;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
    }

    @Provide
    Arbitrary<Behaviour> attacks() {
        return Arbitraries.of(Behaviour.CORRUPT, Behaviour.WRONG_BLOCK, Behaviour.MISLABEL, Behaviour.BLOCK_FLOOD,
                Behaviour.KEEPALIVE_FLOOD, Behaviour.FLOOD);
    }
}
