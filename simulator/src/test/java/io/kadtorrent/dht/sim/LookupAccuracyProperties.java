package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Without churn, an iterative lookup from any node returns exactly the true K closest live nodes
 * (brute force) for at least 99 % of random targets, over 0-10 % loss; every routing table keeps
 * its invariants after every simulation step.
 */
class LookupAccuracyProperties {

    static final int LOOKUPS = 200;

    @Property(tries = 4, edgeCases = EdgeCasesMode.NONE)
    void lookupsReturnTheTrueKClosestLiveNodes(@ForAll("seeds") long seed, @ForAll("sizes") int size,
                                               @ForAll("losses") double loss) {
        SimulatedDht dht = SimulatedDht.join(seed, size, LinkModel.lossless().withLoss(loss));
        SimulationChecks.checkTablesAfterEveryStep(dht.network());
        int exact = 0;
        for (int i = 0; i < LOOKUPS; i++) {
            SimNode from = dht.network().nodes().get(dht.network().random().nextInt(size));
            NodeId target = NodeId.random(dht.network().random());
            LookupResult result = dht.findNode(from, target);
            if (dht.isExact(from, target, result)) {
                exact++;
            }
        }
        assertTrue(exact >= LOOKUPS * 0.99, "seed " + seed + " size " + size + " loss " + loss
                + ": exact " + exact + "/" + LOOKUPS);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return SimulationParameters.seeds();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return SimulationParameters.networkSizes(200, 2000);
    }

    @Provide
    Arbitrary<Double> losses() {
        return SimulationParameters.lossRates();
    }
}
