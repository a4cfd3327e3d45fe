package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.server.BootstrapNodes;
import io.kadtorrent.metadata.server.MetadataServer;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.server.PublishPolicy;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TorrentSource#fetch(String, HostAndPort, Optional, KnownPublishers, boolean)} against a real server. */
class TrustOnFirstUseIT {

    @TempDir
    Path dir;

    private final SigningKey publisher = SigningKey.generate(new SecureRandom());
    private final SigningKey impostor = SigningKey.generate(new SecureRandom());
    private MetadataServer server;
    private HostAndPort address;
    private InfoHash original;
    private KnownPublishers known;

    @BeforeEach
    void start() throws Exception {
        server = MetadataServer.start(MetadataServerConfig.loopback().withPublishPolicy(PublishPolicy.openToAll()),
                Catalog.open(dir.resolve("catalog")), BootstrapNodes.fixed(List.of()));
        address = HostAndPort.fromParts("127.0.0.1", server.localAddress().getPort());
        try (MetadataClient c = client()) {
            original = c.publish(TestTorrents.singleFile("movie.mkv", 123_456, 1), publisher).infoHash();
        }
        known = KnownPublishers.at(dir.resolve("state/kadtorrent/known_publishers"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theFirstFetchOfANameRemembersItsKeyAndLaterFetchesMatchIt() throws Exception {
        FetchedTorrent first = fetch("movie.mkv", false);
        assertEquals(FetchedTorrent.Trust.FIRST_USE, first.trust());
        assertEquals(publisher.publicKey(), first.publisher());
        assertEquals(original, first.metainfo().infoHash());
        assertEquals(Optional.of(publisher.publicKey()), known.lookup(address, "movie.mkv"));

        FetchedTorrent second = fetch("movie.mkv", false);
        assertEquals(FetchedTorrent.Trust.KNOWN_PUBLISHER, second.trust());
        assertEquals(original, second.metainfo().infoHash());
    }

    @Test
    void aNameNowSignedByAnotherKeyIsRefusedUntilTheUserAcceptsIt() throws Exception {
        fetch("movie.mkv", false);
        InfoHash replaced;
        try (MetadataClient c = client()) {
            c.unpublish(original, publisher);
            replaced = c.publish(TestTorrents.singleFile("movie.mkv", 666, 2), impostor).infoHash();
        }

        PublisherChangedException e = assertThrows(PublisherChangedException.class, () -> fetch("movie.mkv", false));
        assertEquals(publisher.publicKey(), e.knownKey());
        assertEquals(impostor.publicKey(), e.servedKey());
        assertEquals("127.0.0.1:" + address.getPort(), e.server());
        assertEquals("movie.mkv", e.name());
        for (String part : List.of(publisher.publicKey().fingerprint(), impostor.publicKey().fingerprint(),
                known.file().toString(), "--accept-new-key")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
        assertEquals(Optional.of(publisher.publicKey()), known.lookup(address, "movie.mkv"));

        FetchedTorrent accepted = fetch("movie.mkv", true);
        assertEquals(FetchedTorrent.Trust.NEW_KEY_ACCEPTED, accepted.trust());
        assertEquals(Optional.of(publisher.publicKey()), accepted.replacedKey());
        assertEquals(impostor.publicKey(), accepted.publisher());
        assertEquals(replaced, accepted.metainfo().infoHash());
        assertEquals(FetchedTorrent.Trust.KNOWN_PUBLISHER, fetch("movie.mkv", false).trust());
    }

    @Test
    void whenASecondKeyUsesTheNameTheRememberedPublishersTorrentIsFetched() throws Exception {
        fetch("movie.mkv", false);
        try (MetadataClient c = client()) {
            assertTrue(c.publish(TestTorrents.singleFile("movie.mkv", 666, 2), impostor).nameTakenByOtherKey());
        }
        FetchedTorrent f = fetch("movie.mkv", false);
        assertEquals(FetchedTorrent.Trust.KNOWN_PUBLISHER, f.trust());
        assertEquals(original, f.metainfo().infoHash());
    }

    @Test
    void anExplicitTrustedKeyNeitherReadsNorWritesTheFile() throws Exception {
        FetchedTorrent f = TorrentSource.fetch("movie.mkv", address, Optional.of(publisher.publicKey()), known, false);
        assertEquals(FetchedTorrent.Trust.TRUSTED_KEY, f.trust());
        assertFalse(Files.exists(known.file()));
        assertThrows(MetadataClientException.class,
                () -> TorrentSource.fetch("movie.mkv", address, Optional.of(impostor.publicKey()), known, false));
    }

    @Test
    void aFetchByInfoHashReportsTheSignerWithoutRememberingIt() throws Exception {
        FetchedTorrent f = fetch(original.hex(), false);
        assertEquals(FetchedTorrent.Trust.NOT_CHECKED, f.trust());
        assertEquals(publisher.publicKey(), f.publisher());
        assertFalse(Files.exists(known.file()));
    }

    @Test
    void aGarbledOrUnreadableFileNeverStopsAFetch() throws Exception {
        Files.createDirectories(known.file().getParent());
        Files.write(known.file(), new byte[] {0, 1, 2, '\n', ' ', 'x', ' ', 'y', '\n', (byte) 0xff});
        assertEquals(FetchedTorrent.Trust.FIRST_USE, fetch("movie.mkv", false).trust());
        assertEquals(Optional.of(publisher.publicKey()), known.lookup(address, "movie.mkv"));

        KnownPublishers unreadable = KnownPublishers.at(dir.resolve("a-folder"));
        Files.createDirectories(unreadable.file());
        FetchedTorrent f = TorrentSource.fetch("movie.mkv", address, Optional.empty(), unreadable, false);
        assertEquals(FetchedTorrent.Trust.FIRST_USE, f.trust());
        assertTrue(Files.isDirectory(unreadable.file()));
    }

    @Test
    void aNameThatMatchesNothingCarriesTheSuggestions() {
        MetadataClientException e = assertThrows(MetadataClientException.class, () -> fetch("Movie", false));
        assertEquals(List.of("movie.mkv"), e.suggestions());
        assertTrue(e.getMessage().startsWith("metadata server " + address + ": no torrent named 'Movie'"), e.getMessage());
    }

    private FetchedTorrent fetch(String nameOrInfoHash, boolean acceptNewKey) throws Exception {
        return TorrentSource.fetch(nameOrInfoHash, address, Optional.empty(), known, acceptNewKey);
    }

    private MetadataClient client() throws Exception {
        return MetadataClient.connect(address, Duration.ofSeconds(5));
    }
}
