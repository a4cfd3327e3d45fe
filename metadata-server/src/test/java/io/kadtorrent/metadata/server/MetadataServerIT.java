package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.client.FetchedTorrent;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.client.MetadataClientException;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.kadtorrent.torrent.bencode.BencodeCodec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Publish, list, search and get over real sockets on 127.0.0.1. */
class MetadataServerIT {

    @TempDir
    Path dir;

    private final SigningKey publisher = SigningKey.generate(new SecureRandom());
    private final SigningKey stranger = SigningKey.generate(new SecureRandom());

    private MetadataServerConfig allowingPublisher() {
        return RunningServer.config().withPublishPolicy(PublishPolicy.allowing(Set.of(publisher.publicKey())));
    }

    @Test
    void publishListSearchGetRoundTrip() throws Exception {
        byte[] ubuntu = TestTorrents.singleFile("ubuntu-24.04.iso", 300_000, 1);
        byte[] photos = TestTorrents.multiFile("photos", 2, "2024/Beach.jpg", "2024/home.jpg");
        try (RunningServer s = RunningServer.start(dir, allowingPublisher());
             MetadataClient client = s.client()) {
            MetadataResponse.Published p = client.publish(ubuntu, publisher);
            assertTrue(p.created());
            assertEquals(TestTorrents.parse(ubuntu).infoHash(), p.infoHash());
            client.publish(photos, publisher);

            MetadataResponse.Page all = client.list(0, 10);
            assertEquals(List.of("photos", "ubuntu-24.04.iso"), all.torrents().stream().map(TorrentSummary::name).toList());
            assertEquals(new TorrentSummary(p.infoHash(), "ubuntu-24.04.iso", 300_000, 1, publisher.publicKey()), all.torrents().get(1));

            MetadataResponse.Page hits = client.search("BEACH", 0, 10);
            assertEquals(List.of("photos"), hits.torrents().stream().map(TorrentSummary::name).toList());

            FetchedTorrent byName = client.fetch("ubuntu-24.04.iso", Optional.of(publisher.publicKey()));
            FetchedTorrent byHash = client.fetch(p.infoHash().hex(), Optional.empty());
            for (FetchedTorrent f : List.of(byName, byHash)) {
                assertEquals(p.infoHash(), f.metainfo().infoHash());
                assertArrayEquals(TestTorrents.parse(ubuntu).rawInfo(), f.metainfo().rawInfo());
                assertEquals(RunningServer.NODES, f.metainfo().nodes());
                assertEquals(publisher.publicKey(), f.signature().key());
            }
            assertEquals(RunningServer.NODES, client.nodes());
        }
    }

    @Test
    void servedNodesFollowTheNodeSourceOnEveryGet() throws Exception {
        List<com.google.common.net.HostAndPort> current = new ArrayList<>();
        byte[] t = TestTorrents.singleFile("a", 10, 1);
        try (RunningServer s = RunningServer.start(dir, allowingPublisher(), BootstrapNodes.from(() -> List.copyOf(current)));
             MetadataClient client = s.client()) {
            InfoHash h = client.publish(t, publisher).infoHash();
            assertEquals(List.of(), client.fetch("a", Optional.empty()).metainfo().nodes());
            current.add(com.google.common.net.HostAndPort.fromParts("127.0.0.1", 4000));
            assertEquals(List.copyOf(current), client.fetch("a", Optional.empty()).metainfo().nodes());
            assertEquals(h, client.fetch("a", Optional.empty()).metainfo().infoHash());
        }
    }

    @Test
    void duplicatePublishIsAcknowledgedButNotStoredTwice() throws Exception {
        byte[] t = TestTorrents.singleFile("dup", 10, 1);
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            assertTrue(client.publish(t, publisher).created());
            assertFalse(client.publish(t, publisher).created());
            assertEquals(1, client.list(0, 10).total());
        }
    }

    @Test
    void unsignedPublishIsRefused() throws Exception {
        byte[] t = TestTorrents.singleFile("x", 10, 1);
        try (RunningServer s = RunningServer.start(dir, allowingPublisher())) {
            // A raw frame without key and signature: the client library always signs.
            byte[] body = BencodeCodec.encode(Map.of("id", 1, "op", "publish", "torrent", t));
            MetadataResponse r;
            try (RawConnection raw = new RawConnection(s.address(), Duration.ofSeconds(5))) {
                raw.send(RawConnection.frame(body));
                r = raw.readResponse();
            }
            MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, r);
            assertEquals(ErrorCode.BAD_SIGNATURE, f.code());
            assertTrue(f.message().contains("unsigned"), f.message());
            assertEquals(0, s.catalog.size());
        }
    }

    @Test
    void wronglySignedPublishIsRefused() throws Exception {
        byte[] t = TestTorrents.singleFile("x", 10, 1);
        Metainfo other = TestTorrents.parse(TestTorrents.singleFile("y", 10, 2));
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            MetadataClientException e = assertThrows(MetadataClientException.class,
                    () -> client.publish(t, TorrentSignature.sign(publisher, other)));
            assertEquals(Optional.of(ErrorCode.BAD_SIGNATURE), e.code());
            assertTrue(e.getMessage().startsWith("signature does not match"), e.getMessage());
            assertEquals(0, s.catalog.size());
        }
    }

    @Test
    void publishByKeyNotAllowedIsRefused() throws Exception {
        byte[] t = TestTorrents.singleFile("x", 10, 1);
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            MetadataClientException e = assertThrows(MetadataClientException.class, () -> client.publish(t, stranger));
            assertEquals(Optional.of(ErrorCode.KEY_NOT_ALLOWED), e.code());
            assertEquals("key " + stranger.publicKey().fingerprint() + " is not allowed to publish here", e.getMessage());
            assertEquals(0, s.catalog.size());
        }
    }

    @Test
    void openServerAcceptsAnyCorrectlySignedPublish() throws Exception {
        byte[] t = TestTorrents.singleFile("x", 10, 1);
        MetadataServerConfig open = RunningServer.config().withPublishPolicy(PublishPolicy.openToAll());
        try (RunningServer s = RunningServer.start(dir, open); MetadataClient client = s.client()) {
            assertTrue(client.publish(t, stranger).created());
        }
    }

    @Test
    void invalidTorrentIsRefused() throws Exception {
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            byte[] notATorrent = "d4:infod4:name1:xee".getBytes();
            MetadataResponse r = client.send(id -> new MetadataRequest.Publish(id, notATorrent,
                    new TorrentSignature(publisher.publicKey(), new byte[64]))).get(5, TimeUnit.SECONDS);
            MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, r);
            assertEquals(ErrorCode.INVALID_TORRENT, f.code());
        }
    }

    @Test
    void getOfUnknownOrAmbiguousNameIsAClearError() throws Exception {
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            client.publish(TestTorrents.singleFile("twin", 10, 1), publisher);
            client.publish(TestTorrents.singleFile("twin", 10, 2), publisher);
            MetadataClientException missing = assertThrows(MetadataClientException.class,
                    () -> client.fetch("nothing", Optional.empty()));
            assertEquals("no torrent named 'nothing'", missing.getMessage());
            MetadataClientException twin = assertThrows(MetadataClientException.class,
                    () -> client.fetch("twin", Optional.empty()));
            assertEquals(Optional.of(ErrorCode.AMBIGUOUS_NAME), twin.code());
        }
    }

    @Test
    void restartKeepsTheCatalog() throws Exception {
        List<InfoHash> published = new ArrayList<>();
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            for (int i = 0; i < 20; i++) {
                published.add(client.publish(TestTorrents.singleFile("file" + i, 1000, i), publisher).infoHash());
            }
        }
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            assertEquals(20, client.list(0, 100).total());
            for (InfoHash h : published) {
                FetchedTorrent f = client.fetch(h.hex(), Optional.of(publisher.publicKey()));
                assertEquals(h, f.metainfo().infoHash());
            }
        }
    }

    @Test
    void pipelinedRequestsAreAllAnsweredByTheirIds() throws Exception {
        try (RunningServer s = RunningServer.start(dir, allowingPublisher()); MetadataClient client = s.client()) {
            client.publish(TestTorrents.singleFile("p", 10, 1), publisher);
            List<CompletableFuture<MetadataResponse>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(client.send(id -> new MetadataRequest.GetByName(id, "p")));
            }
            for (CompletableFuture<MetadataResponse> f : futures) {
                assertInstanceOf(MetadataResponse.Torrent.class, f.get(10, TimeUnit.SECONDS));
            }
        }
    }
}
