package io.kadtorrent.engine.session;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Sessions on ::1 that find each other only through the IPv6 DHT (BEP 32): no peer is given by
 * address, and nothing listens on IPv4 but the dual-stack bootstrap node.
 */
class Ipv6DhtSwarmIT {

    private static final Duration LOOKUP_INTERVAL = Duration.ofMillis(500);
    private static final SessionConfig V6 = SessionConfig.defaults().withBindHost("::1").withPort(0);

    @TempDir
    Path tmp;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Session session(DhtConfig dht) throws Exception {
        Session s = Session.start(V6, dht, LOOKUP_INTERVAL);
        open.add(s);
        return s;
    }

    @Test
    void aDownloaderInBothDhtsFindsAnIpv6OnlySeederAndDownloadsFromIt() throws Exception {
        InetAddress v4 = InetAddress.getLoopbackAddress();
        InetAddress v6 = InetAddress.getByName("::1");
        DhtNode hub = DhtNode.start(DhtConfig.defaults().withBindAddresses(List.of(v4, v6)));
        open.add(hub);
        Path seedDir = tmp.resolve("seed");
        Metainfo m = TestTorrents.singleFile(seedDir, "a.bin", 700_001, 16 * 1024, 11);

        Session seeder = session(DhtConfig.defaults().withBindAddress(v6).withBootstrap(hub.localAddresses()));
        Torrent seeding = seeder.add(m, seedDir);
        Session leecher = session(DhtConfig.defaults().withBindAddresses(List.of(v4, v6)).withBootstrap(hub.localAddresses()));
        assertEquals(2, leecher.dhtAddresses().size());
        Torrent t = leecher.add(m, tmp.resolve("got"));
        t.completion().get(60, TimeUnit.SECONDS);

        assertTrue(TestTorrents.sameTree(seedDir.resolve("a.bin"), tmp.resolve("got/a.bin")));
        // Either side may have dialled (each found the other in the IPv6 DHT), both at once too: until the twin
        // is found by peer_id, blocks may come over both connections (two ports). The one peer is the seeder, on ::1.
        Map<InetSocketAddress, Long> got = t.downloadedByPeer();
        assertEquals(List.of(v6), got.keySet().stream().map(InetSocketAddress::getAddress).distinct().toList(), got.toString());
        assertTrue(got.values().stream().mapToLong(Long::longValue).sum() >= m.totalBytes(), got.toString());
        assertTrue(seeding.stats().uploadedBytes() >= m.totalBytes());
    }
}
