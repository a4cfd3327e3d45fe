package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.engine.DhtEngine;
import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.Samples;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 51: a crawler asking every node for samples learns every announced info_hash, and nothing else. */
class SampleInfohashesSimulationTest {

    @Test
    void aCrawlOfEveryNodeSamplesEveryAnnouncedInfohash() {
        SimulatedDht dht = SimulatedDht.join(51, 120, LinkModel.lossless());
        SimulatedNetwork net = dht.network();
        Set<InfoHash> announced = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            InfoHash hash = InfoHash.of(NodeId.random(net.random()).bytes());
            assertTrue(dht.announce(net.nodes().get(net.random().nextInt(120)), hash, 6881) > 0);
            announced.add(hash);
        }
        SimNode crawler = net.nodes().get(0);
        Set<InfoHash> crawled = new HashSet<>();
        for (SimNode n : net.nodes().subList(1, 120)) {
            AtomicReference<Optional<DhtEngine.SampleReply>> reply = new AtomicReference<>();
            net.act(crawler, (e, now) -> e.sampleInfohashes(now, n.address(), NodeId.random(net.random()), reply::set));
            assertTrue(net.runUntil(() -> reply.get() != null, 60_000));
            Samples s = reply.get().orElseThrow().samples();
            List<InfoHash> stored = n.engine().peerStore().infoHashes();
            assertEquals(stored.size(), s.num(), n + ": num is what it stores");
            assertTrue(stored.containsAll(s.samples()), n + ": samples only what it stores");
            assertEquals(Math.min(stored.size(), 20), s.samples().size());
            assertTrue(s.intervalSeconds() > 0 && s.intervalSeconds() <= Samples.MAX_INTERVAL_SECONDS);
            int next = reply.get().orElseThrow().nodes().size();
            assertTrue(next >= 7 && next <= 8, "up to K nodes to crawl next, ourselves left out");
            crawled.addAll(s.samples());
        }
        crawled.addAll(crawler.engine().peerStore().infoHashes());
        assertEquals(announced, crawled);
    }
}
