package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.kadtorrent.metadata.feed.CatalogCodecTest.ALICE;
import static io.kadtorrent.metadata.feed.CatalogCodecTest.MALLORY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogMirrorTest {

    @TempDir
    Path dir;

    /** Catalogs and metadata as peers would hand them over, some of it forged. */
    private static final class FakeSource implements CatalogSource {
        final Map<PublisherKey, PublisherCatalog> catalogs = new HashMap<>();
        final Map<InfoHash, Metainfo> metadata = new HashMap<>();

        @Override
        public CompletableFuture<Optional<PublisherCatalog>> resolve(PublisherKey publisher) {
            return CompletableFuture.completedFuture(Optional.ofNullable(catalogs.get(publisher)));
        }

        @Override
        public CompletableFuture<Metainfo> metadata(InfoHash infoHash) {
            Metainfo m = metadata.get(infoHash);
            return m == null ? CompletableFuture.failedFuture(new IllegalStateException("no peers"))
                    : CompletableFuture.completedFuture(m);
        }
    }

    @Test
    void publishesWhatTheFollowedPublisherSignedAndNothingElse() throws Exception {
        Metainfo photos = TestTorrents.parse(TestTorrents.singleFile("photos", 100, 1));
        Metainfo music = TestTorrents.parse(TestTorrents.singleFile("music", 100, 2));
        Metainfo swapped = TestTorrents.parse(TestTorrents.singleFile("notes", 100, 3));
        Metainfo lost = TestTorrents.parse(TestTorrents.singleFile("lost", 100, 4));
        FakeSource source = new FakeSource();
        PublisherCatalog c = PublisherCatalog.empty(ALICE.publicKey(), 1);
        for (Metainfo t : List.of(photos, music, lost)) {
            c = c.with(ListedTorrent.of(t, TorrentSignature.sign(ALICE, t), 1), 1);
        }
        // an entry whose signature is Alice's key over other bytes: never mirrored
        c = c.with(new ListedTorrent("notes", swapped.infoHash(), swapped.totalBytes(), 1,
                new TorrentSignature(ALICE.publicKey(), TorrentSignature.sign(MALLORY, swapped).signature())), 1);
        source.catalogs.put(ALICE.publicKey(), c);
        source.metadata.put(photos.infoHash(), photos);
        source.metadata.put(music.infoHash(), music);
        source.metadata.put(swapped.infoHash(), swapped);
        Catalog catalog = Catalog.open(dir);
        CatalogMirror mirror = new CatalogMirror(catalog, source, List.of(ALICE.publicKey(), MALLORY.publicKey()));

        List<CatalogMirror.Pass> passes = mirror.refreshAll();

        assertEquals(new CatalogMirror.Pass(ALICE.publicKey(), 4, 2, 1, 1), passes.get(0));
        assertEquals(new CatalogMirror.Pass(MALLORY.publicKey(), 0, 0, 0, 0), passes.get(1));
        assertEquals(ALICE.publicKey(), catalog.get(photos.infoHash()).orElseThrow().publisher());
        assertTrue(catalog.get(music.infoHash()).isPresent());
        assertTrue(catalog.get(swapped.infoHash()).isEmpty());
        assertEquals(new CatalogMirror.Pass(ALICE.publicKey(), 4, 0, 1, 1), mirror.refresh(ALICE.publicKey()));
    }
}
