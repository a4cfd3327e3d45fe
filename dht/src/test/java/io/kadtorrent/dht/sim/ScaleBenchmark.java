package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The DHT scale benchmark (bench/dht/scale.sh): N simulated nodes, then L lookups of random
 * targets from random nodes over the real protocol and codec, each checked against brute force;
 * then 30 % of nodes die and L/5 more lookups run. Prints one markdown table row.
 *
 * <p>Usage: {@code ScaleBenchmark N LOOKUPS SEED warm|join}. {@code join}: every node joins through
 * the real bootstrap (in concurrent waves of up to 2 % of N). {@code warm}: routing tables are filled directly as a
 * converged network's would be (up to K random nodes per bucket range, taken from the sorted id
 * list), which is how 100k nodes fit in the time budget; lookups are real either way.
 */
public final class ScaleBenchmark {

    static final int CONCURRENT_LOOKUPS = 50; // keeps virtual time short: no 15-minute bucket refresh kicks in

    public static void main(String[] args) {
        int size = Integer.parseInt(args[0]);
        int lookups = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        boolean join = args.length > 3 && args[3].equals("join");
        long t0 = System.nanoTime();
        SimulatedDht dht;
        if (join) {
            dht = SimulatedDht.joinInWaves(seed, size, LinkModel.lossless());
        } else {
            dht = SimulatedDht.empty(seed, LinkModel.lossless());
            warmStart(dht, size);
        }
        double buildSeconds = (System.nanoTime() - t0) / 1e9;
        long t1 = System.nanoTime();
        Stats clean = runLookups(dht, lookups);
        double lookupSeconds = (System.nanoTime() - t1) / 1e9;
        dht.kill(0.30, List.of());
        Stats churned = runLookups(dht, Math.max(1, lookups / 5));
        long heapMiB = peakHeapBytes() >> 20;
        long liveMiB = liveHeapBytes(dht) >> 20;
        System.out.printf(Locale.ROOT, "| %,d | %s | %d | %d / %d | %.2f | %d / %d | %.1f %% | %.1f %% | %d / %d | %.1f | %.1f | %,d | %,d |%n",
                size, join ? "join" : "warm", lookups, clean.median(clean.hops), clean.p99(clean.hops),
                Math.log(size) / Math.log(2) / 3, clean.median(clean.messages), clean.p99(clean.messages),
                100.0 * clean.exact / clean.count, 100.0 * churned.exact / churned.count,
                churned.median(churned.messages), churned.p99(churned.messages), buildSeconds, lookupSeconds, heapMiB, liveMiB);
    }

    /** Hops and messages of a batch of lookups, and how many were exact. */
    static final class Stats {
        final int[] hops;
        final int[] messages;
        int count;
        int exact;

        Stats(int n) {
            hops = new int[n];
            messages = new int[n];
        }

        int median(int[] values) {
            return percentile(values, 0.5);
        }

        int p99(int[] values) {
            return percentile(values, 0.99);
        }

        private int percentile(int[] values, double q) {
            int[] sorted = Arrays.copyOf(values, count);
            Arrays.sort(sorted);
            return sorted[Math.min(count - 1, (int) Math.ceil(q * count) - 1)];
        }
    }

    static Stats runLookups(SimulatedDht dht, int lookups) {
        SimulatedNetwork net = dht.network();
        List<SimNode> alive = net.aliveNodes();
        Stats stats = new Stats(lookups);
        for (int done = 0; done < lookups; ) {
            int batch = Math.min(CONCURRENT_LOOKUPS, lookups - done);
            AtomicInteger pending = new AtomicInteger(batch);
            SimNode[] from = new SimNode[batch];
            NodeId[] targets = new NodeId[batch];
            LookupResult[] results = new LookupResult[batch];
            for (int i = 0; i < batch; i++) {
                int slot = i;
                from[i] = alive.get(net.random().nextInt(alive.size()));
                targets[i] = NodeId.random(net.random());
                net.act(from[i], (e, now) -> e.findNode(now, targets[slot], r -> {
                    results[slot] = r;
                    pending.decrementAndGet();
                }));
            }
            if (!net.runUntil(() -> pending.get() == 0, SimulatedDht.OPERATION_LIMIT_MILLIS)) {
                throw new IllegalStateException("lookups did not finish");
            }
            for (int i = 0; i < batch; i++) {
                stats.hops[stats.count] = results[i].hops();
                stats.messages[stats.count] = results[i].queriesSent();
                stats.count++;
                stats.exact += dht.isExact(from[i], targets[i], results[i]) ? 1 : 0;
            }
            done += batch;
        }
        return stats;
    }

    /** Fills every table as a converged network would: per bucket range, up to K random members. */
    static void warmStart(SimulatedDht dht, int size) {
        SimulatedNetwork net = dht.network();
        for (int i = 0; i < size; i++) {
            net.addNode();
        }
        List<SimNode> nodes = new ArrayList<>(net.nodes());
        nodes.sort((a, b) -> a.engine().ownId().compareTo(b.engine().ownId()));
        NodeId[] ids = nodes.stream().map(n -> n.engine().ownId()).toArray(NodeId[]::new);
        Contact[] contacts = nodes.stream().map(n -> new Contact(n.engine().ownId(), n.address())).toArray(Contact[]::new);
        SplittableRandom random = new SplittableRandom(net.seed() ^ 0x5eed);
        for (SimNode node : nodes) {
            NodeId own = node.engine().ownId();
            for (int depth = 0; depth < NodeId.BITS; depth++) {
                NodeId sibling = own.withBitFlipped(depth);
                int from = lowerBound(ids, prefixBound(sibling, depth + 1, false));
                int to = lowerBound(ids, prefixBound(sibling, depth + 1, true), true);
                insertSome(node, contacts, from, to, random);
                int ownFrom = lowerBound(ids, prefixBound(own, depth + 1, false));
                int ownTo = lowerBound(ids, prefixBound(own, depth + 1, true), true);
                if (ownTo - ownFrom <= 1) {
                    break; // nobody else shares our next prefix bit: the table is complete
                }
            }
        }
    }

    private static void insertSome(SimNode node, Contact[] contacts, int from, int to, SplittableRandom random) {
        int count = to - from;
        if (count <= 8) {
            for (int i = from; i < to; i++) {
                node.engine().routingTable().recordReply(contacts[i], 0);
            }
            return;
        }
        for (int picked = 0; picked < 8; picked++) {
            node.engine().routingTable().recordReply(contacts[from + random.nextInt(count)], 0);
        }
    }

    private static NodeId prefixBound(NodeId id, int bits, boolean ones) {
        byte[] b = id.bytes();
        for (int i = bits; i < NodeId.BITS; i++) {
            int mask = 0x80 >>> (i & 7);
            b[i >> 3] = (byte) (ones ? (b[i >> 3] | mask) : (b[i >> 3] & ~mask));
        }
        return NodeId.of(b);
    }

    private static int lowerBound(NodeId[] sorted, NodeId key) {
        return lowerBound(sorted, key, false);
    }

    /** First index whose id is {@code >= key} (or {@code > key} when {@code strict}). */
    private static int lowerBound(NodeId[] sorted, NodeId key, boolean strict) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = sorted[mid].compareTo(key);
            if (c < 0 || (strict && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
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
