package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulationSmokeTest {

    @Test
    void thousandNodesJoinAndLookupsFindTrueClosest() {
        long t0 = System.nanoTime();
        SimulatedDht dht = SimulatedDht.join(42, 1000, LinkModel.lossless());
        long t1 = System.nanoTime();
        int exact = 0;
        int hops = 0;
        for (int i = 0; i < 200; i++) {
            SimNode from = dht.network().nodes().get(dht.network().random().nextInt(1000));
            NodeId target = NodeId.random(dht.network().random());
            LookupResult r = dht.findNode(from, target);
            hops += r.hops();
            if (dht.isExact(from, target, r)) {
                exact++;
            }
        }
        System.out.printf("join %.1fs lookups %.1fs exact %d/200 avg hops %.2f delivered %d%n",
                (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9, exact, hops / 200.0, dht.network().delivered());
        assertTrue(exact >= 198);
    }
}
