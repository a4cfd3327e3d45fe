package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.routing.Contact;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The DHT scale benchmark (bench/dht/scale.sh): N simulated nodes, then L lookups of random
 * targets from random nodes over the real protocol and codec, each checked against brute force;
 * then L/100 torrents are announced and L/10 get_peers lookups time the first peer found; then 30 %
 * of nodes die, L/5 more lookups run and every announce a live node still stores is looked for.
 * Prints one markdown table row (latencies in virtual milliseconds, seconds as wall / process CPU).
 *
 * <p>Usage: {@code ScaleBenchmark N LOOKUPS SEED warm|join [uniform|mainline|stable] [fixed|adaptive]}; nodes query
 * with {@link QueryPolicy#PATIENT} (fixed 1 s timeouts) or {@link QueryPolicy#ADAPTIVE}; the link is
 * {@link LinkModel#lossless()} (uniform) by default, {@link LinkModel#mainline()} or
 * {@link LinkModel#mainlineStable()} (stable). {@code join}: every node joins through
 * the real bootstrap (in concurrent waves of up to 2 % of N). {@code warm}: routing tables are filled directly as a
 * converged network's would be (up to K random nodes per bucket range, taken from the sorted id
 * list), which is how 100k nodes fit in the time budget; lookups are real either way.
 */
public final class ScaleBenchmark {

    /**
     * Lookups run at once, in batches: keeps virtual time short, so no 15-minute bucket refresh kicks in (every
     * node would refresh its idle buckets at once). 10,000 lookups at 1M nodes need more
     * ({@code -Dscale.concurrent=500}): 200 batches of 50, each as long as its slowest lookup, reach it.
     */
    static final int CONCURRENT_LOOKUPS = Integer.getInteger("scale.concurrent", 50);

    public static void main(String[] args) {
        int size = Integer.parseInt(args[0]);
        int lookups = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        boolean join = args.length > 3 && args[3].equals("join");
        String linkName = args.length > 4 ? args[4] : "uniform";
        boolean mainline = !linkName.equals("uniform");
        // "stable": LinkModel.mainlineStable(), the same RTT distribution fixed per node and pair
        LinkModel link = linkName.equals("stable") ? LinkModel.mainlineStable() : mainline ? LinkModel.mainline() : LinkModel.lossless();
        boolean adaptive = args.length > 5 && args[5].equals("adaptive");
        QueryPolicy base = adaptive ? QueryPolicy.ADAPTIVE : QueryPolicy.PATIENT;
        QueryPolicy policy = new QueryPolicy(base.timeoutMillis(), base.maxAttempts(), base.minTimeoutMillis(),
                Integer.getInteger("scale.alpha", base.alpha()), // -Dscale.alpha=N to compare lookup parallelism
                base.replyWindowMillis());
        // -Dscale.wide=true: libtorrent-style wide far buckets (128 / 64 / 32 / 16, then K); off keeps old traces;
        // -Dscale.buckets=255,128,64,64,32: the first buckets' sizes (BucketCapacity.parse), overriding scale.wide
        BucketCapacity capacity = System.getProperty("scale.buckets") != null
                ? BucketCapacity.parse(System.getProperty("scale.buckets"))
                : Boolean.getBoolean("scale.wide") ? BucketCapacity.WIDE : BucketCapacity.STANDARD;
        // -Dscale.threads=T: 4T shards on T threads (-Dscale.shards=S to differ); the outcome is the same for any T and S
        int threads = Integer.getInteger("scale.threads", 1);
        Parallelism parallelism = new Parallelism(Integer.getInteger("scale.shards", threads == 1 ? 1 : 4 * threads), threads);
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long t0 = System.nanoTime();
        long c0 = processCpuNanos();
        SimulatedDht dht;
        if (join) {
            // -Dscale.fill=true: nodes ping those that lookup replies name when a bucket has room for them
            dht = SimulatedDht.joinInWaves(seed, size, link, policy, capacity, Boolean.getBoolean("scale.fill"),
                    parallelism);
        } else {
            dht = SimulatedDht.empty(seed, link, policy);
            dht.network().useParallelism(parallelism);
            dht.network().useBucketCapacity(capacity);
            WarmTables.fill(dht, size);
        }
        int settle = Integer.getInteger("scale.settle", 0); // -Dscale.settle=B: see settle()
        if (settle > 0) {
            SteadyState.settle(dht, settle);
        }
        SteadyState.Options steady = steadyOptions();
        if (steady.millis() > 0) {
            Phase phase = Phase.start(dht);
            SteadyState.Report r = SteadyState.run(dht, steady);
            phase.end(String.format(Locale.ROOT, "steady state %s: %,d lookups (%,d announces), %,d left and replaced, "
                    + "%,d deliveries", steady, r.lookups(), r.announces(), r.left(), r.delivered()));
        }
        dht.askFastFirst(Boolean.getBoolean("scale.fastFirst")); // -Dscale.fastFirst=true: see DhtEngine.askFastFirst
        dht.askPastStragglers(Boolean.getBoolean("scale.stragglers")); // see DhtEngine.askPastStragglers
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        double buildCpu = (processCpuNanos() - c0) / 1e9;
        // Early, on stderr: a long row's build survives an interrupted run.
        System.err.printf(Locale.ROOT, "built %,d nodes (%s): %.1f s wall / %.1f s CPU, virtual %.1f s, heap peak %,d MiB, GC %.1f s%n",
                size, parallelism, buildSeconds, buildCpu, dht.network().clock().nowMillis() / 1e3, peakHeapBytes() >> 20, gcMillis() / 1e3);
        System.err.println("routing tables (" + capacity + "): " + bucketFill(dht) + "; verification pings "
                + dht.network().nodes().stream().mapToLong(n -> n.engine().stats().verificationPings()).sum());
        if (Boolean.getBoolean("scale.histogram")) {
            printClassHistogram();
        }
        String lever = System.getProperty("scale.ab", "false"); // -Dscale.ab=fastFirst|stragglers: see LeverComparison
        if (!lever.equals("false")) {
            LeverComparison.run(dht, lookups, lever);
        }
        long t1 = System.nanoTime();
        long c1 = processCpuNanos();
        Stats clean = runLookups(dht, lookups);
        double lookupSeconds = (System.nanoTime() - t1) / 1e9;
        double lookupCpu = (processCpuNanos() - c1) / 1e9;
        System.err.printf(Locale.ROOT, "%,d lookups: %.1f s wall / %.1f s CPU, virtual %.1f s; hops %d / %d, messages %d / %d,"
                        + " exact %.1f %%, ms to K closest %d / %d / %d%n", lookups, lookupSeconds, lookupCpu,
                dht.network().clock().nowMillis() / 1e3, clean.median(clean.hops), clean.p99(clean.hops),
                clean.median(clean.messages), clean.p99(clean.messages), 100.0 * clean.exact / clean.count,
                clean.median(clean.millis), clean.percentile(clean.millis, 0.9), clean.p99(clean.millis));
        // Same seed, same join and lookups: this digest must not move when a change should not alter behaviour.
        System.err.printf(Locale.ROOT, "trace after lookups %016x%n", dht.network().traceDigest());
        // Every phase below runs its operations CONCURRENT_LOOKUPS at a time, so the whole run stays inside one
        // 15-minute refresh interval of virtual time (one after another, 1M nodes went past it and refreshed at once).
        Phase phase = Phase.start(dht);
        TorrentRounds.Announces announces = TorrentRounds.announce(dht, Math.max(1, lookups / 100));
        phase.end(announces.hashes().size() + " announces");
        phase = Phase.start(dht);
        long[] firstPeer = TorrentRounds.firstPeerMillis(dht, announces, Math.max(1, lookups / 10));
        phase.end(firstPeer.length + " get_peers, ms to first peer " + percentile(firstPeer, 0.5) + " / "
                + percentile(firstPeer, 0.9) + " / " + percentile(firstPeer, 0.99));
        dht.kill(0.30, List.of());
        phase = Phase.start(dht);
        Stats churned = runLookups(dht, Math.max(1, lookups / 5));
        phase.end(String.format(Locale.ROOT, "%,d lookups after the 30 %% kill, exact %.1f %%", churned.count,
                100.0 * churned.exact / churned.count));
        phase = Phase.start(dht);
        String foundAfterKill = TorrentRounds.findAfterKill(dht, announces);
        phase.end("get_peers after the kill, announces found " + foundAfterKill);
        long heapMiB = peakHeapBytes() >> 20;
        double gcSeconds = gcMillis() / 1e3; // before the full collection that measures the live heap
        long liveMiB = liveHeapBytes(dht) >> 20;
        double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        // Same seed, same run: compare this line before and after a change that should not alter behaviour.
        System.err.printf(Locale.ROOT, "trace %016x after %,d deliveries, %,d lost%n",
                dht.network().traceDigest(), dht.network().delivered(), dht.network().lost());
        System.out.printf(Locale.ROOT, "| %,d | %s | %s | %d | %d / %d | %.2f | %d / %d | %.1f %% | %.1f %% | %d / %d | %s "
                        + "| %d / %d / %d | %d / %d / %d | %.1f / %.1f | %.1f / %.1f | %,d | %,d | %.0f-%.0f | %.1f |%n",
                size, join ? "join" : "warm", linkAndPolicy(linkName, adaptive, policy), lookups,
                clean.median(clean.hops), clean.p99(clean.hops),
                Math.log(size) / Math.log(2) / 3, clean.median(clean.messages), clean.p99(clean.messages),
                100.0 * clean.exact / clean.count, 100.0 * churned.exact / churned.count,
                churned.median(churned.messages), churned.p99(churned.messages), foundAfterKill,
                clean.median(clean.millis), clean.percentile(clean.millis, 0.9), clean.p99(clean.millis),
                percentile(firstPeer, 0.5), percentile(firstPeer, 0.9), percentile(firstPeer, 0.99),
                buildSeconds, buildCpu, lookupSeconds, lookupCpu, heapMiB, liveMiB,
                Math.min(loadBefore, loadAfter), Math.max(loadBefore, loadAfter), gcSeconds);
    }

    /** Wall milliseconds every collector has spent collecting so far (pauses of the parallel collector). */
    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    /**
     * Mean entries per node sharing 0..11 leading bits with the node's id (what buckets 0..11 hold once the table has
     * split that far: 0 is the half of the id space farthest from it), and mean entries per table.
     */
    static String bucketFill(SimulatedDht dht) {
        List<SimNode> nodes = dht.network().aliveNodes();
        long[] sums = new long[12];
        long total = 0;
        for (SimNode n : nodes) {
            NodeId own = n.engine().ownId();
            for (Contact c : n.engine().routingTable().contacts()) {
                int shared = own.commonPrefixLength(c.id());
                sums[Math.min(shared, sums.length - 1)] += shared < sums.length ? 1 : 0;
                total++;
            }
        }
        StringBuilder out = new StringBuilder("mean entries sharing 0..11 bits with the owner");
        for (long s : sums) {
            out.append(String.format(Locale.ROOT, " %.1f", (double) s / nodes.size()));
        }
        return out.append(String.format(Locale.ROOT, "; per table %.1f", (double) total / nodes.size())).toString();
    }

    /**
     * The steady-state phase's options: {@code -Dscale.hours=H} (default 0: none; fractions allowed), each node's
     * mean gap between lookups {@code -Dscale.lookupEvery=S} seconds (default 300), the share of them that announce
     * {@code -Dscale.announceShare=F} (default 0.5), and churn's median session {@code -Dscale.session=M} minutes
     * (default 0: no churn). See {@link SteadyState}.
     */
    static SteadyState.Options steadyOptions() {
        double hours = Double.parseDouble(System.getProperty("scale.hours", "0"));
        double every = Double.parseDouble(System.getProperty("scale.lookupEvery", "300"));
        double announceShare = Double.parseDouble(System.getProperty("scale.announceShare", "0.5"));
        double session = Double.parseDouble(System.getProperty("scale.session", "0"));
        return new SteadyState.Options(Math.round(hours * 3_600_000), Math.round(every * 1_000), announceShare,
                Math.round(session * 60_000));
    }

    /** The link column: the link model, then the policy when it is not the fixed one with Kademlia's alpha. */
    private static String linkAndPolicy(String linkName, boolean adaptive, QueryPolicy policy) {
        return linkName + (adaptive ? " adaptive" : "")
                + (policy.alpha() != Lookup.ALPHA ? " alpha " + policy.alpha() : "");
    }

    /** CPU time of the whole process (every thread: the simulation, GC and JIT), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** A phase after the build: prints on stderr its wall / CPU seconds and the virtual time it took and reached. */
    private record Phase(SimulatedDht dht, long wallNanos, long cpuNanos, long virtualMillis) {

        static Phase start(SimulatedDht dht) {
            return new Phase(dht, System.nanoTime(), processCpuNanos(), dht.network().clock().nowMillis());
        }

        void end(String what) {
            long now = dht.network().clock().nowMillis();
            System.err.printf(Locale.ROOT, "%s: %.1f s wall / %.1f s CPU, virtual %.1f s (now %.1f s), GC so far %.1f s%n",
                    what, (System.nanoTime() - wallNanos) / 1e9, (processCpuNanos() - cpuNanos) / 1e9,
                    (now - virtualMillis) / 1e3, now / 1e3, gcMillis() / 1e3);
        }
    }

    static long percentile(long[] values, double q) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))];
    }

    /** Hops and messages of a batch of lookups, and how many were exact. */
    static final class Stats {
        final int[] hops;
        final int[] messages;
        final int[] millis; // virtual time from start to result: every one of the K closest has answered
        int count;
        int exact;

        Stats(int n) {
            hops = new int[n];
            messages = new int[n];
            millis = new int[n];
        }

        int median(int[] values) {
            return percentile(values, 0.5);
        }

        int p99(int[] values) {
            return percentile(values, 0.99);
        }

        int percentile(int[] values, double q) {
            int[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return sorted[Math.min(count - 1, (int) Math.ceil(q * count) - 1)];
        }
    }

    static Stats runLookups(SimulatedDht dht, int lookups) {
        List<SimNode> alive = dht.network().aliveNodes();
        Stats stats = new Stats(lookups);
        for (int done = 0; done < lookups; ) {
            int batch = Math.min(CONCURRENT_LOOKUPS, lookups - done);
            for (SimulatedDht.TimedLookup l : dht.randomLookups(alive, batch)) {
                stats.hops[stats.count] = l.result().hops();
                stats.messages[stats.count] = l.result().queriesSent();
                stats.millis[stats.count] = (int) l.millis();
                stats.count++;
                stats.exact += l.exact() ? 1 : 0;
            }
            done += batch;
        }
        return stats;
    }

    /** The live-object class histogram (as {@code jcmd PID GC.class_histogram}), top lines, to stderr. */
    private static void printClassHistogram() {
        try {
            Object out = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            String[] lines = String.valueOf(out).split("\n");
            System.err.println(String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 40))));
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Heap still in use after a full collection while the whole network is reachable. */
    private static long liveHeapBytes(SimulatedDht keepAlive) {
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        if (keepAlive.network().nodes().isEmpty()) {
            throw new IllegalStateException("network vanished");
        }
        return used;
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
