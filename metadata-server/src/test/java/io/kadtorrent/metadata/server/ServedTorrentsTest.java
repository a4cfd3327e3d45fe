package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.catalog.CatalogEntry;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class ServedTorrentsTest {

    @TempDir
    Path dir;

    @Test
    void reusesServedBytesUntilTheNodesChange() throws Exception {
        byte[] t = TestTorrents.singleFile("a", 10, 1);
        Metainfo m = TestTorrents.parse(t);
        Catalog catalog = Catalog.open(dir);
        catalog.publish(t, m, TorrentSignature.sign(SigningKey.generate(new SecureRandom()), m));
        CatalogEntry entry = catalog.get(m.infoHash()).orElseThrow();
        ServedTorrents served = new ServedTorrents();
        List<HostAndPort> first = List.of(HostAndPort.fromParts("127.0.0.1", 1));
        List<HostAndPort> second = List.of(HostAndPort.fromParts("127.0.0.1", 2));

        byte[] a = served.serve(entry, first);
        assertSame(a, served.serve(entry, List.copyOf(first)));
        byte[] b = served.serve(entry, second);
        assertEquals(second, TestTorrents.parse(b).nodes());
        assertEquals(m.infoHash(), TestTorrents.parse(b).infoHash());
        assertEquals(first, TestTorrents.parse(a).nodes());
    }
}
