package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToLongFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, item 4: hostile nodes that answer every find_node and get_peers with a huge poisoned
 * {@code nodes} list (see {@link PoisonedReplies}) do not slow a get_peers lookup down much. Each
 * trial looks up one announced peer from two random nodes, first with the hostile nodes answering
 * honestly, then with them poisoning (two searchers, so the second does not profit from what the
 * first lookup taught its routing table). Every lookup must find the peer; at the median and the
 * 90th percentile the poisoned lookups' time to the peer stays within one query timeout of the
 * honest ones' and their time to the end within four, in the worst trial both within
 * eight seconds, and they send at most a few more queries. Before replies were sanitised, poisoned
 * lookups took up to 110 s to end.
 */
class HostileNodeProperties {

    static final int TRIALS = 40;
    /** At the median and 90th percentile, a poisoned lookup may take one query timeout more to report the peer. */
    static final long EXTRA_MILLIS_TO_PEER = 1_000;
    /** ... and four to end: discrediting a liar takes three of its nodes' silences, plus round trips. */
    static final long EXTRA_MILLIS_TO_DONE = 4_000;
    /**
     * In the worst of the trials, eight: when liars hold all ALPHA slots the lookup waits a timeout for
     * them to stall, and a lookup may meet several liars before they are discredited.
     */
    static final long EXTRA_MILLIS_WORST = 8_000;
    /** Queries a poisoned lookup may send beyond the honest one, on average per lookup. */
    static final int EXTRA_QUERIES = 8;

    record Timing(long toPeerMillis, long toDoneMillis, int queries) {
    }

    @Property(tries = 3, edgeCases = EdgeCasesMode.NONE)
    void poisonedRepliesBarelySlowLookups(@ForAll("seeds") long seed, @ForAll("sizes") int size,
                                          @ForAll("hostileCounts") int hostileCount) {
        SimulatedDht dht = SimulatedDht.join(seed, size, LinkModel.lossless());
        SimulatedNetwork net = dht.network();
        List<SimNode> hostile = new ArrayList<>(net.nodes().subList(0, hostileCount));
        List<SimNode> honest = net.nodes().subList(hostileCount, size);
        Timing[] clean = new Timing[TRIALS];
        Timing[] poisoned = new Timing[TRIALS];
        for (int i = 0; i < TRIALS; i++) {
            SimNode announcer = honest.get(net.random().nextInt(honest.size()));
            SimNode searcher = honest.get(net.random().nextInt(honest.size()));
            SimNode other = honest.get(net.random().nextInt(honest.size()));
            InfoHash hash = InfoHash.of(NodeId.random(net.random()).bytes());
            assertTrue(dht.announce(announcer, hash, 6881) > 0, "seed " + seed + ": nobody accepted the announce");
            InetSocketAddress peer = new InetSocketAddress(announcer.address().getAddress(), 6881);
            clean[i] = timeToPeer(dht, searcher, hash, peer);
            hostile.forEach(net::makeHostile);
            poisoned[i] = timeToPeer(dht, other, hash, peer);
            hostile.forEach(net::makeHonest);
            String where = "seed " + seed + " size " + size + " hostile " + hostileCount + " trial " + i;
            assertTrue(clean[i].toPeerMillis >= 0, where + ": the honest lookup missed the peer");
            assertTrue(poisoned[i].toPeerMillis >= 0, where + ": the poisoned lookup missed the peer");
        }
        String summary = summary(clean, poisoned);
        System.out.println("hostile nodes, seed " + seed + " size " + size + " hostile " + hostileCount + ": " + summary);
        for (int p : new int[]{50, 90, 100}) { // percentiles
            boolean worst = p == 100;
            assertTrue(pct(poisoned, Timing::toPeerMillis, p) <= pct(clean, Timing::toPeerMillis, p)
                            + (worst ? EXTRA_MILLIS_WORST : EXTRA_MILLIS_TO_PEER),
                    "seed " + seed + " p" + p + " to peer: " + summary);
            assertTrue(pct(poisoned, Timing::toDoneMillis, p) <= pct(clean, Timing::toDoneMillis, p)
                            + (worst ? EXTRA_MILLIS_WORST : EXTRA_MILLIS_TO_DONE),
                    "seed " + seed + " p" + p + " to done: " + summary);
        }
        int cleanQueries = Arrays.stream(clean).mapToInt(Timing::queries).sum();
        int poisonedQueries = Arrays.stream(poisoned).mapToInt(Timing::queries).sum();
        assertTrue(poisonedQueries <= cleanQueries + EXTRA_QUERIES * TRIALS, "seed " + seed + ": " + summary);
    }

    /** A get_peers lookup from {@code from}: when {@code peer} was first reported, when it ended, queries sent. */
    static Timing timeToPeer(SimulatedDht dht, SimNode from, InfoHash hash, InetSocketAddress peer) {
        SimulatedNetwork net = dht.network();
        long start = net.clock().nowMillis();
        AtomicLong foundAt = new AtomicLong(-1);
        AtomicReference<LookupResult> result = new AtomicReference<>();
        AtomicLong doneAt = new AtomicLong();
        net.act(from, (e, now) -> e.getPeers(now, hash, p -> {
            if (p.equals(peer) && foundAt.get() < 0) {
                foundAt.set(net.clock().nowMillis() - start);
            }
        }, r -> {
            result.set(r);
            doneAt.set(net.clock().nowMillis() - start);
        }));
        if (!net.runUntil(() -> result.get() != null, SimulatedDht.OPERATION_LIMIT_MILLIS)) {
            throw new IllegalStateException("lookup did not finish (seed " + net.seed() + ")");
        }
        return new Timing(foundAt.get(), doneAt.get(), result.get().queriesSent());
    }

    static String summary(Timing[] clean, Timing[] poisoned) {
        return "to peer ms honest p50/max " + pct(clean, Timing::toPeerMillis, 50) + "/" + pct(clean, Timing::toPeerMillis, 100)
                + " poisoned " + pct(poisoned, Timing::toPeerMillis, 50) + "/" + pct(poisoned, Timing::toPeerMillis, 100)
                + "; to done ms honest " + pct(clean, Timing::toDoneMillis, 50) + "/" + pct(clean, Timing::toDoneMillis, 100)
                + " poisoned " + pct(poisoned, Timing::toDoneMillis, 50) + "/" + pct(poisoned, Timing::toDoneMillis, 100)
                + "; queries honest " + Arrays.stream(clean).mapToInt(Timing::queries).sum()
                + " poisoned " + Arrays.stream(poisoned).mapToInt(Timing::queries).sum();
    }

    private static long pct(Timing[] t, ToLongFunction<Timing> f, int p) {
        long[] v = Arrays.stream(t).mapToLong(f).sorted().toArray();
        return v[Math.min(v.length - 1, v.length * p / 100)];
    }

    @Provide
    Arbitrary<Long> seeds() {
        return SimulationParameters.seeds();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return SimulationParameters.networkSizes(200, 800);
    }

    @Provide
    Arbitrary<Integer> hostileCounts() {
        return Arbitraries.integers().between(1, 10);
    }
}
