package io.kadtorrent.engine.session;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A swarm on ::1: listening, dialling and transferring over IPv6 loopback. */
class Ipv6SwarmTest {

    @TempDir
    Path tmp;

    @Test
    void twoSessionsOnIpv6LoopbackExchangeATorrent() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = TestTorrents.singleFile(seedDir, "a.bin", 500_000, 16 * 1024, 9);
        SessionConfig v6 = SessionConfig.defaults().withBindHost("::1").withPort(0);
        try (Session seeder = Session.start(v6); Session leecher = Session.start(v6)) {
            assertTrue(seeder.localAddress().getAddress() instanceof Inet6Address);
            seeder.add(m, seedDir);
            Torrent t = leecher.add(m, tmp.resolve("got"));
            t.addPeer(new InetSocketAddress("::1", seeder.localAddress().getPort()));
            t.completion().get(60, TimeUnit.SECONDS);
            assertTrue(TestTorrents.sameTree(seedDir.resolve("a.bin"), tmp.resolve("got/a.bin")));
            assertEquals(1, t.downloadedByPeer().size());
        }
    }
}
