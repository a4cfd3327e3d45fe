package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.server.BootstrapNodes;
import io.kadtorrent.metadata.server.MetadataServer;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.server.PublishPolicy;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The helper behind {@code kadtorrent get NAME|INFOHASH --server ... [--trust ...]}. */
class TorrentSourceIT {

    @TempDir
    Path dir;

    private final SigningKey publisher = SigningKey.generate(new SecureRandom());
    private final SigningKey other = SigningKey.generate(new SecureRandom());
    private MetadataServer server;
    private HostAndPort address;
    private InfoHash published;

    @BeforeEach
    void start() throws Exception {
        server = MetadataServer.start(MetadataServerConfig.loopback().withPublishPolicy(PublishPolicy.openToAll()),
                Catalog.open(dir.resolve("catalog")), BootstrapNodes.fixed(List.of(HostAndPort.fromParts("127.0.0.1", 7000))));
        address = HostAndPort.fromParts("127.0.0.1", server.localAddress().getPort());
        try (MetadataClient c = MetadataClient.connect(address, Duration.ofSeconds(5))) {
            published = c.publish(TestTorrents.singleFile("movie.mkv", 123_456, 1), publisher).infoHash();
        }
        publisher.writeTo(dir.resolve("publisher.key"));
        other.writeTo(dir.resolve("other.key"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void fetchesByNameAndByInfoHashWithBootstrapNodes() throws Exception {
        Metainfo byName = TorrentSource.fetch("movie.mkv", address, Optional.empty());
        Metainfo byHash = TorrentSource.fetch(published.hex(), address, Optional.empty());
        Metainfo byBase32 = TorrentSource.fetch(published.base32(), server.localAddress(), Optional.empty());
        for (Metainfo m : List.of(byName, byHash, byBase32)) {
            assertEquals(published, m.infoHash());
            assertEquals(List.of(HostAndPort.fromParts("127.0.0.1", 7000)), m.nodes());
        }
    }

    @Test
    void trustedPublisherIsAccepted() throws Exception {
        Metainfo m = TorrentSource.fetch("movie.mkv", address, Optional.of(dir.resolve("publisher.key.pub")));
        assertEquals(published, m.infoHash());
    }

    @Test
    void torrentByAnotherPublisherIsRefusedAsUntrusted() {
        MetadataClientException e = assertThrows(MetadataClientException.class,
                () -> TorrentSource.fetch("movie.mkv", address, Optional.of(dir.resolve("other.key.pub"))));
        assertTrue(e.getMessage().contains("untrusted torrent " + published.hex()), e.getMessage());
        assertTrue(e.getMessage().contains("not by the trusted key " + other.publicKey().fingerprint()), e.getMessage());
    }

    @Test
    void unknownNameIsNotFound() {
        MetadataClientException e = assertThrows(MetadataClientException.class,
                () -> TorrentSource.fetch("nope", address, Optional.empty()));
        assertEquals("metadata server " + address + ": no torrent named 'nope'", e.getMessage());
        assertEquals(Optional.of(ErrorCode.NOT_FOUND), e.code());
    }

    @Test
    void unreachableServerSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        MetadataClientException e = assertThrows(MetadataClientException.class,
                () -> TorrentSource.fetch("movie.mkv", HostAndPort.fromParts("127.0.0.1", closedPort), Optional.empty()));
        assertTrue(e.getMessage().startsWith("cannot reach metadata server 127.0.0.1:" + closedPort), e.getMessage());
    }

    @Test
    void missingTrustFileIsAnIoError() {
        assertThrows(java.nio.file.NoSuchFileException.class,
                () -> TorrentSource.fetch("movie.mkv", address, Optional.of(dir.resolve("absent.pub"))));
    }
}
