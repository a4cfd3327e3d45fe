package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IPv6 DHT (BEP 32) in the simulator: the real engines exchanging nodes6 and 18-byte values. */
class Bep32SimulationTest {

    @Test
    void anIpv6NetworkRunsExactLookupsAndFindsAnAnnouncedPeer() {
        SimulatedDht dht = SimulatedDht.join(32, 300, LinkModel.lossless(), AddressFamily.IPV6);
        SimulationChecks.checkTablesAfterEveryStep(dht.network());
        List<SimNode> nodes = dht.network().nodes();
        for (int i = 0; i < 20; i++) {
            SimNode from = nodes.get(dht.network().random().nextInt(nodes.size()));
            NodeId target = NodeId.random(dht.network().random());
            LookupResult r = dht.findNode(from, target);
            assertTrue(dht.isExact(from, target, r), "lookup " + i + " found the true 8 closest");
            assertTrue(r.closest().stream().allMatch(c -> c.address().getAddress() instanceof Inet6Address));
        }
        SimNode announcer = nodes.get(17);
        InfoHash hash = InfoHash.of(NodeId.random(dht.network().random()).bytes());
        assertTrue(dht.announce(announcer, hash, 51413) > 0);
        Set<InetSocketAddress> peers = dht.getPeers(nodes.get(250), hash).peers();
        assertEquals(Set.of(new InetSocketAddress(announcer.address().getAddress(), 51413)), peers);
    }

    @Test
    void theTwoDhtsStaySeparateAndAHostInBothIsFoundInEach() throws Exception {
        SimulatedDht dht = SimulatedDht.join(33, 100, LinkModel.lossless()); // the IPv4 DHT, 127.x.y.z
        SimulatedNetwork net = dht.network();
        List<SimNode> v4 = List.copyOf(net.nodes());
        // The IPv6 DHT beside it in the same network, joined through its first node.
        List<SimNode> v6 = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            SimNode n = net.addNode(NodeId.random(net.random()), new InetSocketAddress(InetAddress.getByName("fd00::" + Integer.toHexString(i)), 6881));
            if (!v6.isEmpty()) {
                join(net, n, v6.get(net.random().nextInt(v6.size())).address());
            }
            v6.add(n);
        }
        // A dual-stack host: one id, one engine per family, paired; it joins each DHT through a seed of each family.
        NodeId hostId = NodeId.random(net.random());
        SimNode host4 = net.addNode(hostId, new InetSocketAddress(InetAddress.getByName("127.200.0.1"), 6881));
        SimNode host6 = net.addNode(hostId, new InetSocketAddress(InetAddress.getByName("fd00::ffff:1"), 6881));
        host4.engine().pairWith(host6.engine());
        List<InetSocketAddress> seeds = List.of(v4.get(0).address(), v6.get(0).address());
        join(net, host4, seeds.get(0));
        join(net, host6, seeds.get(1));

        InfoHash hash = InfoHash.of(NodeId.random(net.random()).bytes());
        assertTrue(dht.announce(host4, hash, 40_000) > 0);
        assertTrue(dht.announce(host6, hash, 40_000) > 0);
        assertEquals(Set.of(new InetSocketAddress(host4.address().getAddress(), 40_000)), dht.getPeers(v4.get(50), hash).peers());
        assertEquals(Set.of(new InetSocketAddress(host6.address().getAddress(), 40_000)), dht.getPeers(v6.get(50), hash).peers());
        for (SimNode n : net.nodes()) {
            Class<? extends InetAddress> own = n.address().getAddress().getClass();
            for (Contact c : n.engine().routingTable().contacts()) {
                assertInstanceOf(own, c.address().getAddress(), "a routing table holds one family: " + n);
            }
        }
    }

    private static void join(SimulatedNetwork net, SimNode node, InetSocketAddress seed) {
        AtomicInteger done = new AtomicInteger();
        net.act(node, (e, now) -> e.bootstrap(now, List.of(seed), n -> done.incrementAndGet()));
        assertTrue(net.runUntil(() -> done.get() > 0, 600_000), "bootstrap finished");
    }
}
