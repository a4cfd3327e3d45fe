package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.torrent.layout.PieceLayout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * File priorities in whole simulated swarms: skipped files never receive a byte, wanted ones complete,
 * and a change while the download runs takes effect at once, high priority first.
 */
class FilePrioritySimulationProperties {

    private static final long KIB = 1 << 10;
    private static final long MIB = 1 << 20;
    private static final long MINUTE = 60_000;

    @Property(tries = 10)
    void skippedFilesNeverReceiveAByteAndWantedFilesComplete(@ForAll("seeds") long seed,
                                                             @ForAll @IntRange(min = 2, max = 8) int fileCount,
                                                             @ForAll @IntRange(min = 1, max = 5) int choosers) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] lengths = new long[fileCount];
        for (int i = 0; i < fileCount; i++) {
            lengths[i] = random.nextInt(5) == 0 ? 0 : random.nextLong(1, 3 * MIB); // empty files too
        }
        lengths[random.nextInt(fileCount)] = random.nextLong(64 * KIB, 2 * MIB); // never an empty torrent
        SwarmSimulation sim = new SwarmSimulation(seed, SyntheticTorrent.ofFiles(seed, lengths, (int) (64 * KIB)),
                LinkModel.lossless(), SwarmConfig.defaults(), new CountingAllocator());
        sim.join(PeerSpec.seeder(2 * MIB), 0);
        List<SimPeer> whole = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            whole.add(sim.join(PeerSpec.leecher(MIB, 4 * MIB), 5));
        }
        List<SimPeer> partial = new ArrayList<>();
        for (int i = 0; i < choosers; i++) {
            SimPeer p = sim.join(PeerSpec.leecher(MIB, 4 * MIB), 5);
            p.wantFiles(randomChoice(random, lengths));
            partial.add(p);
        }
        sim.introduceEvery(10_000, 5);
        boolean done = sim.runUntil(() -> partial.stream().allMatch(p -> p.core().isComplete())
                && whole.stream().allMatch(SimPeer::isComplete), 30 * MINUTE);
        assertTrue(done, sim + ": did not finish");
        for (SimPeer p : partial) {
            assertTrue(p.isComplete() && p.hasWhatItWants(), sim + ": " + p + " did not complete what it wants");
            assertEquals(0, p.stats.unwantedBytes, sim + ": " + p + " received bytes of pieces only skipped files hold");
        }
    }

    @Property(tries = 8)
    void aPriorityChangedWhileDownloadingTakesEffectAtOnceHighFirst(@ForAll("seeds") long seed) {
        long fileBytes = 2 * MIB; // files aligned to pieces: no piece is shared
        long[] lengths = {fileBytes, fileBytes, fileBytes, fileBytes};
        SwarmSimulation sim = new SwarmSimulation(seed, SyntheticTorrent.ofFiles(seed, lengths, (int) (64 * KIB)),
                LinkModel.lossless(), SwarmConfig.defaults(), new CountingAllocator());
        PieceLayout layout = sim.torrent().layout();
        sim.join(PeerSpec.seeder(MIB), 0);
        SimPeer user = sim.join(PeerSpec.leecher(MIB, 4 * MIB), 1);
        user.stats.recordFirstRequests(layout.pieceCount());
        user.wantFiles(List.of(FilePriority.NORMAL, FilePriority.NORMAL, FilePriority.SKIP, FilePriority.SKIP));
        long quarter = fileBytes / 2; // a quarter of the two wanted files
        assertTrue(sim.runUntil(() -> user.stats.downloadedBytes >= quarter, 10 * MINUTE), sim + ": no progress");

        long changedAt = sim.now();
        user.wantFiles(List.of(FilePriority.NORMAL, FilePriority.SKIP, FilePriority.SKIP, FilePriority.HIGH));
        boolean done = sim.runUntil(() -> user.core().isComplete(), 20 * MINUTE);
        assertTrue(done, sim + ": the new choice never completed");
        assertTrue(user.hasWhatItWants(), sim + ": completed without every wanted piece");
        long lastHighStart = -1;
        for (int p = layout.firstPieceOf(3); p <= layout.lastPieceOf(3); p++) {
            lastHighStart = Math.max(lastHighStart, user.stats.firstRequestAt(p));
        }
        for (int p = layout.firstPieceOf(1); p <= layout.lastPieceOf(1); p++) {
            long first = user.stats.firstRequestAt(p);
            assertTrue(first <= changedAt, sim + ": piece " + p + " of the file skipped at " + changedAt
                    + " ms was started at " + first + " ms");
        }
        for (int p = layout.firstPieceOf(0); p <= layout.lastPieceOf(0); p++) {
            long first = user.stats.firstRequestAt(p);
            assertTrue(first <= changedAt || first >= lastHighStart, sim + ": normal piece " + p + " started at "
                    + first + " ms, before the high file's last piece (" + lastHighStart + " ms)");
        }
        for (int p = layout.firstPieceOf(2); p <= layout.lastPieceOf(2); p++) {
            assertEquals(-1, user.stats.firstRequestAt(p), sim + ": piece " + p + " of a file always skipped was written");
        }
    }

    /** Random priorities with at least one non-empty file wanted. */
    private static List<FilePriority> randomChoice(SplittableRandom random, long[] lengths) {
        List<FilePriority> out = new ArrayList<>(Collections.nCopies(lengths.length, FilePriority.SKIP));
        FilePriority[] all = FilePriority.values();
        for (int i = 0; i < lengths.length; i++) {
            out.set(i, all[random.nextInt(all.length)]);
        }
        int keep;
        do {
            keep = random.nextInt(lengths.length);
        } while (lengths[keep] == 0);
        if (out.get(keep) == FilePriority.SKIP) {
            out.set(keep, FilePriority.NORMAL);
        }
        return out;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
    }
}
