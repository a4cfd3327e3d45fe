package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionSimulationTest {

    @Test
    void peersAnnouncedDuringAPartitionAreFoundOnceItHeals() {
        SimulatedDht dht = SimulatedDht.join(11, 300, LinkModel.lossless());
        SimulationChecks.checkTablesAfterEveryStep(dht.network());
        List<SimNode> nodes = dht.network().nodes();
        Set<InetSocketAddress> east = nodes.subList(0, 150).stream().map(SimNode::address).collect(Collectors.toSet());
        SimNode announcer = nodes.get(10);
        SimNode searcher = nodes.get(290);
        InfoHash hash = InfoHash.of(NodeId.random(dht.network().random()).bytes());

        dht.network().partition(east);
        assertTrue(dht.announce(announcer, hash, 6881) > 0, "the east half still accepts announces");
        assertFalse(dht.getPeers(searcher, hash).peers().contains(new InetSocketAddress(announcer.address().getAddress(), 6881)),
                "no datagram crosses the partition");

        dht.network().heal();
        assertTrue(dht.announce(announcer, hash, 6881) > 0, "re-announce after healing reaches nodes");
        assertTrue(dht.getPeers(searcher, hash).peers().contains(new InetSocketAddress(announcer.address().getAddress(), 6881)));
    }

    @Test
    void killedNodesAreEvictedAndRevivedNodesAnswerAgain() {
        SimulatedDht dht = SimulatedDht.join(12, 200, LinkModel.lossless());
        List<SimNode> killed = dht.kill(0.3, List.of());
        SimNode searcher = dht.network().aliveNodes().get(0);
        for (int i = 0; i < 20; i++) {
            NodeId target = NodeId.random(dht.network().random());
            LookupResult r = dht.findNode(searcher, target);
            assertTrue(r.closest().stream().noneMatch(c -> killed.stream().anyMatch(k -> k.address().equals(c.address()))),
                    "only live nodes answer");
            assertEquals(8, r.closest().size());
        }
        killed.forEach(dht.network()::revive);
        SimNode back = killed.get(0);
        assertEquals(back.engine().ownId(), dht.findNode(searcher, back.engine().ownId()).closest().get(0).id());
    }
}
