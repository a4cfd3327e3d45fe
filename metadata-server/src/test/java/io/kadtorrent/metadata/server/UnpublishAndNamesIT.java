package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.client.MetadataClientException;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Unpublish, two publishers of one name, publishers in search results and suggestions, over 127.0.0.1. */
class UnpublishAndNamesIT {

    @TempDir
    Path dir;

    private final SigningKey publisher = SigningKey.generate(new SecureRandom());
    private final SigningKey stranger = SigningKey.generate(new SecureRandom());

    private RunningServer start() throws Exception {
        return RunningServer.start(dir, RunningServer.config().withPublishPolicy(PublishPolicy.openToAll()));
    }

    @Test
    void unpublishRemovesTheTorrentDurablyAndOnlyOnce() throws Exception {
        byte[] t = TestTorrents.singleFile("old-release.iso", 1000, 1);
        InfoHash h;
        try (RunningServer s = start(); MetadataClient client = s.client()) {
            h = client.publish(t, publisher).infoHash();
            assertEquals(new MetadataResponse.Unpublished(2, h), client.unpublish(h, publisher));
            // Answered only once durable: the files are already gone.
            assertFalse(Files.exists(dir.resolve(h.hex() + ".torrent")));
            assertFalse(Files.exists(dir.resolve(h.hex() + ".sig")));
            assertEquals(ErrorCode.NOT_FOUND, code(() -> client.get(h)));
            assertEquals(ErrorCode.NOT_FOUND, code(() -> client.get("old-release.iso")));
            assertEquals(0, client.list(0, 10).total());
            assertEquals(ErrorCode.NOT_FOUND, code(() -> client.unpublish(h, publisher)));
        }
        try (RunningServer again = start(); MetadataClient client = again.client()) {
            assertEquals(ErrorCode.NOT_FOUND, code(() -> client.get(h)));
        }
    }

    @Test
    void unpublishRefusesOtherKeysForgeriesAndStaleOrFutureTimes() throws Exception {
        byte[] t = TestTorrents.singleFile("keep-me", 1000, 1);
        try (RunningServer s = start(); MetadataClient client = s.client()) {
            InfoHash h = client.publish(t, publisher).infoHash();
            InfoHash unknown = TestTorrents.parse(TestTorrents.singleFile("never", 10, 9)).infoHash();
            Instant now = Instant.now();

            assertEquals(ErrorCode.NOT_FOUND, code(() -> client.unpublish(unknown, publisher)));
            MetadataClientException other = assertThrows(MetadataClientException.class, () -> client.unpublish(h, stranger));
            assertEquals(Optional.of(ErrorCode.KEY_NOT_ALLOWED), other.code());
            assertTrue(other.getMessage().contains(publisher.publicKey().fingerprint()), other.getMessage());
            // Signed by the stranger but claiming the publisher's key.
            UnpublishSignature forged = UnpublishSignature.sign(stranger, h, now);
            assertEquals(ErrorCode.BAD_SIGNATURE, code(() -> client.unpublish(new UnpublishSignature(
                    publisher.publicKey(), h, forged.timeSeconds(), forged.signature()))));
            MetadataClientException stale = assertThrows(MetadataClientException.class,
                    () -> client.unpublish(UnpublishSignature.sign(publisher, h, now.minus(Duration.ofMinutes(11)))));
            assertEquals(Optional.of(ErrorCode.BAD_SIGNATURE), stale.code());
            assertTrue(stale.getMessage().contains("check the clock"), stale.getMessage());
            assertEquals(ErrorCode.BAD_SIGNATURE,
                    code(() -> client.unpublish(UnpublishSignature.sign(publisher, h, now.plus(Duration.ofMinutes(11))))));

            assertEquals(h, client.fetch(h.hex(), Optional.of(publisher.publicKey())).metainfo().infoHash());
            // A clock a few minutes off either way is fine.
            assertEquals(h, client.unpublish(UnpublishSignature.sign(publisher, h, now.minus(Duration.ofMinutes(5))))
                    .infoHash());
        }
    }

    @Test
    void aCapturedUnpublishCannotRemoveTheTorrentAgainAfterItIsRepublished() throws Exception {
        byte[] t = TestTorrents.singleFile("back-again", 1000, 1);
        try (RunningServer s = start(); MetadataClient client = s.client()) {
            InfoHash h = client.publish(t, publisher).infoHash();
            UnpublishSignature captured = UnpublishSignature.sign(publisher, h, Instant.now());
            client.unpublish(captured);
            assertTrue(client.publish(t, publisher).created());
            MetadataClientException replay = assertThrows(MetadataClientException.class, () -> client.unpublish(captured));
            assertEquals(Optional.of(ErrorCode.BAD_SIGNATURE), replay.code());
            assertEquals(h, client.fetch("back-again", Optional.empty()).metainfo().infoHash());
        }
    }

    @Test
    void twoPublishersOfOneNameBothStayAndAGetCanPickOne() throws Exception {
        byte[] first = TestTorrents.singleFile("movie.mkv", 1000, 1);
        byte[] second = TestTorrents.singleFile("movie.mkv", 2000, 2);
        try (RunningServer s = start(); MetadataClient client = s.client()) {
            MetadataResponse.Published p1 = client.publish(first, publisher);
            assertFalse(p1.nameTakenByOtherKey());
            MetadataResponse.Published p2 = client.publish(second, stranger);
            assertTrue(p2.created());
            assertTrue(p2.nameTakenByOtherKey());
            assertEquals(List.of(publisher.publicKey()), p2.otherPublishers());

            MetadataClientException ambiguous = assertThrows(MetadataClientException.class, () -> client.get("movie.mkv"));
            assertEquals(Optional.of(ErrorCode.AMBIGUOUS_NAME), ambiguous.code());
            for (MetadataResponse.Published p : List.of(p1, p2)) {
                assertTrue(ambiguous.getMessage().contains(p.infoHash().hex().substring(0, 16)), ambiguous.getMessage());
            }
            assertTrue(ambiguous.getMessage().contains("by key " + publisher.publicKey().fingerprint()), ambiguous.getMessage());
            assertTrue(ambiguous.getMessage().contains("by key " + stranger.publicKey().fingerprint()), ambiguous.getMessage());

            assertEquals(p1.infoHash(), infoHash(client.get("movie.mkv", publisher.publicKey())));
            assertEquals(p2.infoHash(), infoHash(client.get("movie.mkv", stranger.publicKey())));
            SigningKey third = SigningKey.generate(new SecureRandom());
            assertEquals(ErrorCode.NOT_FOUND, code(() -> client.get("movie.mkv", third.publicKey())));

            List<TorrentSummary> hits = client.search("movie", 0, 10).torrents();
            assertEquals(2, hits.size());
            for (TorrentSummary hit : hits) {
                assertEquals(Optional.of(hit.infoHash().equals(p1.infoHash()) ? publisher.publicKey() : stranger.publicKey()),
                        hit.publisher());
            }
            // When the first publisher leaves, the name is unambiguous again.
            client.unpublish(p1.infoHash(), publisher);
            assertEquals(p2.infoHash(), infoHash(client.get("movie.mkv")));
        }
    }

    @Test
    void aGetByNameThatFindsNothingSuggestsCloseNames() throws Exception {
        try (RunningServer s = start(); MetadataClient client = s.client()) {
            client.publish(TestTorrents.singleFile("ubuntu-24.04.iso", 1000, 1), publisher);
            client.publish(TestTorrents.singleFile("photos", 1000, 2), publisher);
            MetadataClientException e = assertThrows(MetadataClientException.class, () -> client.get("Ubuntu"));
            assertEquals(Optional.of(ErrorCode.NOT_FOUND), e.code());
            assertEquals(List.of("ubuntu-24.04.iso"), e.suggestions());
            assertEquals("no torrent named 'Ubuntu'; did you mean 'ubuntu-24.04.iso'?", e.getMessage());
            assertEquals(List.of(), assertThrows(MetadataClientException.class, () -> client.get("zzzzzz")).suggestions());
        }
    }

    private static InfoHash infoHash(MetadataResponse.Torrent t) throws Exception {
        Metainfo m = MetainfoParser.parse(t.torrent());
        return m.infoHash();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static ErrorCode code(Call call) {
        MetadataClientException e = assertThrows(MetadataClientException.class, call::run);
        return e.code().orElseThrow(() -> new AssertionError("no server error code: " + e.getMessage()));
    }
}
