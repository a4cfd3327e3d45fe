package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seed's outcome does not depend on how the simulation is run: one shard on one thread, two shards on two
 * threads and three shards on two threads deliver the same datagrams at the same times (trace digest,
 * delivered and lost counts) and give the same lookups, announces and churn results (as do eight shards on three).
 */
class ParallelDeterminismTest {

    @ParameterizedTest(name = "seed {0}, {1} nodes, link {2}, {3}")
    @CsvSource({"1, 300, stable, adaptive", "7, 200, mainline, patient", "42, 250, uniform, patient"})
    void sameSeedGivesSameOutcomeWithAnyShardsAndThreads(long seed, int size, String linkName, String policyName) {
        LinkModel link = switch (linkName) {
            case "stable" -> LinkModel.mainlineStable();
            case "mainline" -> LinkModel.mainline();
            default -> LinkModel.lossless().withLoss(0.05);
        };
        QueryPolicy policy = policyName.equals("adaptive") ? QueryPolicy.ADAPTIVE : QueryPolicy.PATIENT;
        List<Object> sequential = run(seed, size, link, policy, Parallelism.SEQUENTIAL);
        long delivered = (long) sequential.get(sequential.size() - 4);
        assertTrue(delivered > 5_000, "deliveries: " + delivered);
        assertEquals(sequential, run(seed, size, link, policy, Parallelism.threads(2)), "2 shards, 2 threads");
        assertEquals(sequential, run(seed, size, link, policy, new Parallelism(3, 2)), "3 shards, 2 threads");
        assertEquals(sequential, run(seed, size, link, policy, new Parallelism(8, 3)), "8 shards, 3 threads");
    }

    private static List<Object> run(long seed, int size, LinkModel link, QueryPolicy policy, Parallelism parallelism) {
        SimulatedDht dht = SimulatedDht.joinInWaves(seed, size, link, policy, BucketCapacity.STANDARD, parallelism);
        SimulatedNetwork net = dht.network();
        List<Object> outcome = new ArrayList<>();
        for (SimulatedDht.TimedLookup l : dht.randomLookups(net.aliveNodes(), 40)) {
            outcome.add(l.result().closest());
            outcome.add(l.result().queriesSent());
            outcome.add(l.millis());
            outcome.add(l.exact());
        }
        SimNode announcer = net.nodes().get(net.random().nextInt(size));
        InfoHash hash = InfoHash.of(NodeId.random(net.random()).bytes());
        outcome.add(dht.announce(announcer, hash, 6881));
        dht.kill(0.2, List.of(announcer));
        List<SimNode> alive = net.aliveNodes();
        outcome.add(dht.getPeers(alive.get(net.random().nextInt(alive.size())), hash).peers());
        for (SimulatedDht.TimedLookup l : dht.randomLookups(net.aliveNodes(), 20)) {
            outcome.add(l.result().closest());
            outcome.add(l.millis());
        }
        net.runFor(20_000); // timers: pings of the dead, refreshes
        outcome.add(net.delivered());
        outcome.add(net.lost());
        outcome.add(net.traceDigest());
        outcome.add(net.clock().nowMillis());
        return outcome;
    }
}
