package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The properties' claims at 10,000 joined nodes and 5 % loss; too heavy for the default suite. */
@Tag("slow")
class LargeSimulationTest {

    @Test
    void tenThousandNodesLookupsAreExactAndAnnouncesSurviveChurn() {
        SimulatedDht dht = SimulatedDht.joinInWaves(2026, 10_000, LinkModel.lossless().withLoss(0.05));
        SimulationChecks.checkTablesAfterEveryStep(dht.network());
        int exact = 0;
        for (int i = 0; i < 200; i++) {
            SimNode from = dht.network().nodes().get(dht.network().random().nextInt(10_000));
            NodeId target = NodeId.random(dht.network().random());
            exact += dht.isExact(from, target, dht.findNode(from, target)) ? 1 : 0;
        }
        assertTrue(exact >= 198, "exact " + exact + "/200");

        SimNode announcer = dht.network().nodes().get(17);
        InfoHash hash = InfoHash.of(NodeId.random(dht.network().random()).bytes());
        assertTrue(dht.announce(announcer, hash, 6881) > 0);
        dht.kill(0.30, List.of());
        int found = 0;
        for (int i = 0; i < 20; i++) {
            List<SimNode> alive = dht.network().aliveNodes();
            SimNode searcher = alive.get(dht.network().random().nextInt(alive.size()));
            found += dht.getPeers(searcher, hash).peers()
                    .contains(new InetSocketAddress(announcer.address().getAddress(), 6881)) ? 1 : 0;
        }
        assertTrue(found == 20, "found " + found + "/20");
    }
}
