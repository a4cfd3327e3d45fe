package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Arbitrary;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer announced by one node is found by get_peers from another live node after 30 % of all nodes
 * are killed (after the announces), over 0-10 % loss: in at least 99 % of the trials where a node that
 * stored the announce is still alive. A trial whose every storing node was killed cannot be found by
 * any DHT and is not counted (with 8 replicas and 30 % killed that is about 1 in 15,000 hashes, but a
 * random kill sometimes takes two of a hundred).
 */
class AnnounceUnderChurnProperties {

    static final int TRIALS = 100;
    static final double KILLED = 0.30;

    @Property(tries = 3, edgeCases = EdgeCasesMode.NONE)
    void announcedPeersAreFoundAfterThirtyPercentOfNodesDie(@ForAll("seeds") long seed,
                                                            @ForAll("sizes") int size,
                                                            @ForAll("losses") double loss) {
        SimulatedDht dht = SimulatedDht.join(seed, size, LinkModel.lossless().withLoss(loss));
        SimulationChecks.checkTablesAfterEveryStep(dht.network());
        List<InfoHash> hashes = new ArrayList<>();
        List<InetSocketAddress> announcers = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            SimNode announcer = dht.network().nodes().get(dht.network().random().nextInt(size));
            InfoHash hash = InfoHash.of(NodeId.random(dht.network().random()).bytes());
            assertTrue(dht.announce(announcer, hash, 6881) > 0, "seed " + seed + ": nobody accepted the announce");
            hashes.add(hash);
            announcers.add(new InetSocketAddress(announcer.address().getAddress(), 6881));
        }
        dht.kill(KILLED, List.of());
        List<SimNode> alive = dht.network().aliveNodes();
        int found = 0;
        int findable = 0;
        for (int i = 0; i < TRIALS; i++) {
            InfoHash hash = hashes.get(i);
            InetSocketAddress announced = announcers.get(i);
            boolean stored = alive.stream().anyMatch(n -> n.engine().peerStore()
                    .values(hash, dht.network().clock().nowMillis()).contains(announced));
            if (!stored) {
                continue; // every replica died with the killed nodes
            }
            findable++;
            SimNode searcher = alive.get(dht.network().random().nextInt(alive.size()));
            if (dht.getPeers(searcher, hash).peers().contains(announced)) {
                found++;
            }
        }
        assertTrue(findable >= TRIALS * 0.95, "seed " + seed + ": only " + findable + " announces survived the kill");
        assertTrue(found >= findable * 0.99, "seed " + seed + " size " + size + " loss " + loss + ": found " + found
                + "/" + findable + " that a live node stored");
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
