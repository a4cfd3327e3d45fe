package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.constraints.DoubleRange;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The same seed replays the same simulation: identical deliveries, lookups and churn, byte for byte. */
class DeterminismProperties {

    @Property(tries = 5, edgeCases = EdgeCasesMode.NONE)
    void sameSeedGivesSameOutcome(@ForAll("seeds") long seed, @ForAll("sizes") int size,
                                  @ForAll("losses") double loss,
                                  @ForAll @DoubleRange(min = 0, max = 0.30) double churn) {
        assertEquals(run(seed, size, loss, churn), run(seed, size, loss, churn), "seed " + seed);
    }

    private static List<Object> run(long seed, int size, double loss, double churn) {
        SimulatedDht dht = SimulatedDht.join(seed, size, LinkModel.lossless().withLoss(loss));
        List<Object> outcome = new ArrayList<>();
        SimNode announcer = dht.network().nodes().get(0);
        InfoHash hash = InfoHash.of(NodeId.random(dht.network().random()).bytes());
        outcome.add(dht.announce(announcer, hash, 6881));
        dht.kill(churn, List.of(announcer));
        for (int i = 0; i < 10; i++) {
            SimNode from = dht.network().aliveNodes().get(dht.network().random().nextInt(dht.network().aliveNodes().size()));
            LookupResult r = dht.findNode(from, NodeId.random(dht.network().random()));
            outcome.add(r.closest());
            outcome.add(r.queriesSent());
        }
        List<SimNode> alive = dht.network().aliveNodes();
        outcome.add(dht.getPeers(alive.get(alive.size() - 1), hash).peers());
        outcome.add(dht.network().traceDigest());
        outcome.add(dht.network().delivered());
        outcome.add(dht.network().clock().nowMillis());
        return outcome;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return SimulationParameters.seeds();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return SimulationParameters.networkSizes(50, 400);
    }

    @Provide
    Arbitrary<Double> losses() {
        return SimulationParameters.lossRates();
    }
}
