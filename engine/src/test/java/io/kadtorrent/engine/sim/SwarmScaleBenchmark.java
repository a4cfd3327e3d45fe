package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.engine.wire.BlockAllocator;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The whole-swarm scale benchmark ({@code bench/swarm-sim/scale.sh}): one seed and a flash crowd of
 * leechers joining over the first minute, each introduced to 30 random earlier peers, a synthetic torrent,
 * links of 10-100 ms; prints one markdown row: wall seconds, peak heap and the leechers' completion times
 * in virtual seconds. Arguments: peers, torrent MiB, piece KiB, seed. Frames travel by the {@link Transport#BULK}
 * transport unless {@code -Dtransport=EXACT} asks for the properties' frame-by-frame one; {@code
 * -DredundantHaves=false} runs every core without haves to peers known to have the piece
 * ({@link SwarmConfig#redundantHaves}). The last column counts the haves sent, and of them those that reached a
 * peer holding the piece already, and of
 * those the ones that reached a peer holding every piece it wants (a seed).
 */
public final class SwarmScaleBenchmark {

    private static final long MIB = 1 << 20;
    private static final long JOIN_WINDOW_MILLIS = 60_000;
    private static final int INTRODUCTIONS = 30;

    private SwarmScaleBenchmark() {
    }

    public static void main(String[] args) {
        int peers = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long sizeBytes = (args.length > 1 ? Long.parseLong(args[1]) : 1024) * MIB;
        int pieceBytes = (args.length > 2 ? Integer.parseInt(args[2]) : 256) * 1024;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 1;
        long t0 = System.nanoTime();
        SyntheticTorrent torrent = SyntheticTorrent.of(seed, sizeBytes, pieceBytes);
        double torrentSeconds = (System.nanoTime() - t0) / 1e9;
        Transport transport = Transport.valueOf(System.getProperty("transport", "BULK"));
        SwarmConfig config = SwarmConfig.defaults()
                .withRedundantHaves(Boolean.parseBoolean(System.getProperty("redundantHaves", "true")));
        SwarmSimulation sim = new SwarmSimulation(seed, torrent, LinkModel.lossless(), config,
                BlockAllocator.SHARED, transport);
        SimPeer origin = sim.join(PeerSpec.seeder(20 * MIB), 0);
        SplittableRandom random = new SplittableRandom(seed);
        List<SimPeer> leechers = new ArrayList<>();
        for (int i = 1; i < peers; i++) {
            long at = random.nextLong(JOIN_WINDOW_MILLIS);
            long upload = (1 + random.nextLong(4)) * MIB; // 1-4 MiB/s up, 8 MiB/s down
            sim.at(at, () -> leechers.add(sim.join(PeerSpec.leecher(upload, 8 * MIB), INTRODUCTIONS)));
        }
        long t1 = System.nanoTime();
        // O(1) per event: completions counts the seed and every leecher once
        boolean done = sim.runUntil(() -> sim.completions() == peers, 24 * 3_600_000L);
        double runSeconds = (System.nanoTime() - t1) / 1e9;
        double cpuSeconds = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
        List<Long> times = new ArrayList<>();
        for (SimPeer p : leechers) {
            if (p.isComplete()) {
                times.add(p.stats.completionMillis());
            }
        }
        Collections.sort(times);
        long haves = origin.stats.havesSent;
        long havesToHolders = origin.stats.havesToHolders;
        long havesToSeeds = origin.stats.havesToSeeds;
        for (SimPeer p : leechers) {
            haves += p.stats.havesSent;
            havesToHolders += p.stats.havesToHolders;
            havesToSeeds += p.stats.havesToSeeds;
        }
        System.out.printf("| %,d | %,d MiB / %d KiB | %s | %.1f | %.1f | %.1f | %,d | %s / %s / %s / %s | %.0f | %.2f | %,d | %,d (%,d; %,d) |%n",
                peers, sizeBytes / MIB, pieceBytes / 1024, done ? "all" : times.size() + " of " + leechers.size(),
                torrentSeconds, runSeconds, cpuSeconds, peakHeapBytes() >> 20,
                seconds(times, 0), seconds(times, 0.5), seconds(times, 0.9), seconds(times, 1.0),
                sim.now() / 1000.0, origin.stats.uploadedBytes / (double) sizeBytes, sim.events().processed(), haves,
                havesToHolders, havesToSeeds);
    }

    private static String seconds(List<Long> sorted, double q) {
        if (sorted.isEmpty()) {
            return "-";
        }
        int i = (int) Math.min(sorted.size() - 1, Math.round(q * (sorted.size() - 1)));
        return String.format("%.0f", sorted.get(i) / 1000.0);
    }

    private static long peakHeapBytes() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }
}
