package io.kadtorrent.dht.node;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real DhtNodes over Netty UDP on ::1 (BEP 32), and nodes in both DHTs at once on 127.0.0.1 and ::1. */
class Ipv6DhtNodeIT {

    private static final InetAddress V4 = InetAddress.getLoopbackAddress();
    private static InetAddress v6;
    private final List<DhtNode> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @BeforeAll
    static void ipv6Loopback() throws IOException {
        v6 = InetAddress.getByName("::1");
        boolean bindable;
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(v6, 0))) {
            bindable = probe.getLocalAddress() instanceof Inet6Address;
        } catch (SocketException e) {
            bindable = false;
        }
        assumeTrue(bindable, "this host cannot bind ::1 (IPv6 disabled)");
    }

    @AfterEach
    void closeAll() {
        nodes.forEach(DhtNode::close);
    }

    private DhtNode start(DhtConfig config) throws IOException {
        DhtNode node = DhtNode.start(config);
        nodes.add(node);
        return node;
    }

    private DhtNode joined(DhtConfig config) throws Exception {
        DhtNode node = start(config);
        node.joined().get(30, TimeUnit.SECONDS);
        return node;
    }

    @Test
    void nodesOnIpv6LoopbackJoinThroughAnIpv6AddressAndFindAnAnnouncedPeer() throws Exception {
        DhtNode first = start(DhtConfig.defaults().withBindAddress(v6));
        assertInstanceOf(Inet6Address.class, first.localAddress().getAddress());
        for (int i = 0; i < 15; i++) {
            joined(DhtConfig.defaults().withBindAddress(v6).withBootstrap(List.of(first.localAddress())));
        }
        InfoHash hash = InfoHash.of(new byte[]{6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6});
        assertTrue(nodes.get(4).announce(hash, 40_601).get(30, TimeUnit.SECONDS) > 0);
        Set<InetSocketAddress> found = nodes.get(13).getPeers(hash, p -> { }).get(30, TimeUnit.SECONDS);
        assertEquals(Set.of(new InetSocketAddress(v6, 40_601)), found);
        assertTrue(nodes.get(13).routingTableSize(AddressFamily.IPV6) >= 8);
        assertEquals(0, nodes.get(13).routingTableSize(AddressFamily.IPV4));
    }

    @Test
    void aDualStackNodeIsInBothDhtsWhichStaySeparate() throws Exception {
        DhtNode hub = start(DhtConfig.defaults().withBindAddresses(List.of(V4, v6)));
        List<InetSocketAddress> hubAddresses = hub.localAddresses();
        assertEquals(2, hubAddresses.size());
        List<DhtNode> only4 = new ArrayList<>();
        List<DhtNode> only6 = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            only4.add(joined(DhtConfig.defaults().withBindAddress(V4).withBootstrap(hubAddresses)));
            only6.add(joined(DhtConfig.defaults().withBindAddress(v6).withBootstrap(hubAddresses)));
        }
        Path state = dir.resolve("dual.state");
        DhtNode dual = joined(DhtConfig.defaults().withBindAddresses(List.of(v6, V4)).withBootstrap(hubAddresses)
                .withStateFile(state));
        assertTrue(dual.routingTableSize(AddressFamily.IPV4) >= 6);
        assertTrue(dual.routingTableSize(AddressFamily.IPV6) >= 6);

        InfoHash hash = InfoHash.of(new byte[]{4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6, 4, 6});
        assertTrue(only4.get(1).announce(hash, 40_604).get(30, TimeUnit.SECONDS) > 0);
        assertTrue(only6.get(1).announce(hash, 40_606).get(30, TimeUnit.SECONDS) > 0);
        InetSocketAddress peer4 = new InetSocketAddress(V4, 40_604);
        InetSocketAddress peer6 = new InetSocketAddress(v6, 40_606);
        assertEquals(Set.of(peer4, peer6), dual.getPeers(hash, p -> { }).get(30, TimeUnit.SECONDS),
                "a node in both DHTs finds the peers of both");
        assertEquals(Set.of(peer4), only4.get(4).getPeers(hash, p -> { }).get(30, TimeUnit.SECONDS));
        assertEquals(Set.of(peer6), only6.get(4).getPeers(hash, p -> { }).get(30, TimeUnit.SECONDS));

        // The state file keeps both families' contacts: a restart rejoins both DHTs without a bootstrap node.
        var id = dual.id();
        dual.close();
        DhtNode restarted = joined(DhtConfig.defaults().withBindAddresses(List.of(v6, V4)).withStateFile(state));
        assertEquals(id, restarted.id());
        assertTrue(restarted.routingTableSize(AddressFamily.IPV4) >= 6);
        assertTrue(restarted.routingTableSize(AddressFamily.IPV6) >= 6);
    }
}
