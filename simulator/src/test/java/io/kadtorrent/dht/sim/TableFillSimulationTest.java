package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.QueryPolicy;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.routing.Contact;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wide far buckets filled by pinging the nodes lookup replies name, in a joined network of 2,000 nodes at 5 % loss. */
class TableFillSimulationTest {

    private static final int NODES = 2_000;

    @Test
    void pingingNamedNodesFillsTheFarBucketsAndLookupsStayExact() {
        SimulatedDht plain = join(false);
        SimulatedDht filled = join(true);
        double plainFar = meanSharingFewBits(plain);
        double filledFar = meanSharingFewBits(filled);
        assertTrue(filledFar > plainFar * 1.3, "far entries per table: " + plainFar + " without, " + filledFar + " with");
        long pings = filled.network().nodes().stream().mapToLong(n -> n.engine().stats().verificationPings()).sum();
        assertTrue(pings > 0 && pings < 200L * NODES, pings + " verification pings");
        int exact = 0;
        for (SimulatedDht.TimedLookup l : filled.randomLookups(filled.network().aliveNodes(), 100)) {
            exact += l.exact() ? 1 : 0;
        }
        assertEquals(100, exact, "exact lookups");
        for (SimNode n : filled.network().nodes()) {
            n.engine().routingTable().checkInvariants();
        }
    }

    private static SimulatedDht join(boolean fill) {
        return SimulatedDht.joinInWaves(7, NODES, LinkModel.lossless().withLoss(0.05), QueryPolicy.ADAPTIVE,
                BucketCapacity.WIDE, fill);
    }

    /** Mean entries per live table sharing at most 3 leading bits with its owner (what the 4 wide buckets hold). */
    static double meanSharingFewBits(SimulatedDht dht) {
        long far = 0;
        List<SimNode> alive = dht.network().aliveNodes();
        for (SimNode n : alive) {
            NodeId own = n.engine().ownId();
            for (Contact c : n.engine().routingTable().contacts()) {
                far += own.commonPrefixLength(c.id()) <= 3 ? 1 : 0;
            }
        }
        return (double) far / alive.size();
    }
}
