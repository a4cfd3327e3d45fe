package io.kadtorrent.metadata.catalog;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogTest {

    @TempDir
    Path dir;

    private final SigningKey key = SigningKey.generate(new SecureRandom());

    private InfoHash publish(Catalog c, byte[] torrent) throws IOException {
        Metainfo m = TestTorrents.parse(torrent);
        return c.publish(torrent, m, TorrentSignature.sign(key, m)).infoHash();
    }

    @Test
    void publishedTorrentIsStoredAsTwoFilesAndServedBack() throws Exception {
        Catalog c = Catalog.open(dir);
        byte[] t = TestTorrents.singleFile("ubuntu.iso", 50_000, 1);
        InfoHash h = publish(c, t);
        assertArrayEquals(t, Files.readAllBytes(dir.resolve(h.hex() + ".torrent")));
        assertTrue(Files.exists(dir.resolve(h.hex() + ".sig")));
        assertEquals("ubuntu.iso", c.get(h).orElseThrow().name());
        assertEquals(key.publicKey(), c.get(h).orElseThrow().signature().key());
    }

    @Test
    void republishingTheSameInfoHashIsIdempotent() throws Exception {
        Catalog c = Catalog.open(dir);
        byte[] t = TestTorrents.singleFile("a", 10, 1);
        Metainfo m = TestTorrents.parse(t);
        assertTrue(c.publish(t, m, TorrentSignature.sign(key, m)).created());
        assertFalse(c.publish(t, m, TorrentSignature.sign(key, m)).created());
        assertEquals(1, c.size());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(2, files.count());
        }
    }

    @Test
    void refusesToStoreATorrentWhoseSignatureDoesNotVerify() throws Exception {
        Catalog c = Catalog.open(dir);
        byte[] t = TestTorrents.singleFile("a", 10, 1);
        Metainfo other = TestTorrents.parse(TestTorrents.singleFile("b", 10, 2));
        assertThrows(IllegalArgumentException.class,
                () -> c.publish(t, TestTorrents.parse(t), TorrentSignature.sign(key, other)));
        assertEquals(0, c.size());
    }

    @Test
    void listPagesInNameOrder() throws Exception {
        Catalog c = Catalog.open(dir);
        for (int i = 0; i < 25; i++) {
            publish(c, TestTorrents.singleFile(String.format("t%02d", 24 - i), 10, i));
        }
        Catalog.Page first = c.list(0, 10);
        Catalog.Page last = c.list(20, 10);
        assertEquals(25, first.total());
        assertEquals(List.of("t00", "t01", "t02"), first.torrents().subList(0, 3).stream().map(TorrentSummary::name).toList());
        assertEquals(5, last.torrents().size());
        assertEquals("t24", last.torrents().get(4).name());
        assertEquals(0, c.list(100, 10).torrents().size());
    }

    @Test
    void searchMatchesNamesAndFilePathsIgnoringCase() throws Exception {
        Catalog c = Catalog.open(dir);
        publish(c, TestTorrents.singleFile("Ubuntu-24.04.iso", 10, 1));
        publish(c, TestTorrents.multiFile("photos", 2, "2024/Holiday/beach.JPG", "2024/home.jpg"));
        publish(c, TestTorrents.singleFile("debian.iso", 10, 3));

        assertEquals(Set.of("Ubuntu-24.04.iso"), names(c.search("UBUNTU", 0, 50)));
        assertEquals(Set.of("photos"), names(c.search("holiday/beach", 0, 50)));
        assertEquals(Set.of("Ubuntu-24.04.iso", "debian.iso"), names(c.search(".iso", 0, 50)));
        assertEquals(Set.of(), names(c.search("beach.jpg/2024", 0, 50)));
        assertEquals(2, c.search("iso", 1, 50).total());
    }

    @Test
    void namedFindsExactNamesOnly() throws Exception {
        Catalog c = Catalog.open(dir);
        publish(c, TestTorrents.singleFile("a.iso", 10, 1));
        publish(c, TestTorrents.singleFile("a.iso", 10, 2));
        publish(c, TestTorrents.singleFile("a.is", 10, 3));
        assertEquals(2, c.named("a.iso").size());
        assertEquals(1, c.named("a.is").size());
        assertEquals(0, c.named("A.ISO").size());
    }

    @Test
    void reopeningRebuildsTheSameIndex() throws Exception {
        Catalog c = Catalog.open(dir);
        for (int i = 0; i < 10; i++) {
            publish(c, TestTorrents.singleFile("f" + i, 10, i));
        }
        Catalog reopened = Catalog.open(dir);
        assertEquals(c.list(0, 100), reopened.list(0, 100));
        InfoHash h = c.list(0, 1).torrents().get(0).infoHash();
        assertEquals(c.get(h).orElseThrow().signature(), reopened.get(h).orElseThrow().signature());
    }

    @Test
    void openingAfterACrashSweepsTempFilesAndUncommittedSignatures() throws Exception {
        Catalog c = Catalog.open(dir);
        InfoHash kept = publish(c, TestTorrents.singleFile("kept", 10, 1));
        // What a crash mid-publish leaves: a half-written temp torrent, a temp sig, and a .sig
        // whose .torrent rename never happened.
        String orphan = "ab".repeat(20);
        Files.write(dir.resolve(orphan + ".torrent.tmp"), new byte[]{'d', '4'});
        Files.writeString(dir.resolve(orphan + ".sig.tmp"), "kadtorrent-sig");
        Files.copy(dir.resolve(kept.hex() + ".sig"), dir.resolve(orphan + ".sig"));

        Catalog reopened = Catalog.open(dir);
        assertEquals(1, reopened.size());
        assertTrue(reopened.get(kept).isPresent());
        assertEquals(Set.of(kept.hex() + ".torrent", kept.hex() + ".sig"), fileNames());
    }

    @Test
    void damagedEntriesAreSkippedButLeftOnDisk() throws Exception {
        Catalog c = Catalog.open(dir);
        InfoHash good = publish(c, TestTorrents.singleFile("good", 10, 1));
        InfoHash bad = publish(c, TestTorrents.singleFile("bad", 10, 2));
        Files.write(dir.resolve(bad.hex() + ".torrent"), new byte[]{'x'});
        Path stray = dir.resolve("cd".repeat(20) + ".torrent");
        Files.copy(dir.resolve(good.hex() + ".torrent"), stray); // file name is not its info_hash

        Catalog reopened = Catalog.open(dir);
        assertEquals(1, reopened.size());
        assertTrue(reopened.get(good).isPresent());
        assertTrue(Files.exists(dir.resolve(bad.hex() + ".torrent")));
        assertTrue(Files.exists(stray));
    }

    @Test
    void torrentDroppedIntoTheFolderWithoutASignatureIsNotServed() throws Exception {
        byte[] t = TestTorrents.singleFile("unsigned", 10, 7);
        InfoHash h = TestTorrents.parse(t).infoHash();
        Files.write(dir.resolve(h.hex() + ".torrent"), t);
        Catalog c = Catalog.open(dir);
        assertEquals(0, c.size());
        assertTrue(Files.exists(dir.resolve(h.hex() + ".torrent")));
    }

    @Test
    void unpublishRemovesBothFilesAndStaysRemovedAfterReopening() throws Exception {
        Catalog c = Catalog.open(dir);
        InfoHash kept = publish(c, TestTorrents.singleFile("kept", 10, 1));
        InfoHash gone = publish(c, TestTorrents.singleFile("gone", 10, 2));
        assertEquals(Catalog.UnpublishResult.REMOVED, c.unpublish(gone, key.publicKey()));
        assertTrue(c.get(gone).isEmpty());
        assertEquals(List.of("kept"), c.list(0, 10).torrents().stream().map(TorrentSummary::name).toList());
        assertEquals(Set.of(kept.hex() + ".torrent", kept.hex() + ".sig"), fileNames());
        assertEquals(1, Catalog.open(dir).size());
        assertEquals(Catalog.UnpublishResult.NOT_FOUND, c.unpublish(gone, key.publicKey()));
    }

    @Test
    void onlyThePublishersKeyMayUnpublish() throws Exception {
        Catalog c = Catalog.open(dir);
        InfoHash h = publish(c, TestTorrents.singleFile("mine", 10, 1));
        SigningKey other = SigningKey.generate(new SecureRandom());
        assertEquals(Catalog.UnpublishResult.NOT_PUBLISHER, c.unpublish(h, other.publicKey()));
        assertTrue(c.get(h).isPresent());
        assertEquals(2, fileNames().size());
    }

    @Test
    void unpublishInterruptedAfterTheTorrentWasDeletedIsCompletedAtOpen() throws Exception {
        Catalog c = Catalog.open(dir);
        InfoHash kept = publish(c, TestTorrents.singleFile("kept", 10, 1));
        InfoHash half = publish(c, TestTorrents.singleFile("half", 10, 2));
        // A crash between the two deletions: the .torrent (the commit point) is gone, the .sig is not.
        Files.delete(dir.resolve(half.hex() + ".torrent"));
        Catalog reopened = Catalog.open(dir);
        assertTrue(reopened.get(half).isEmpty());
        assertEquals(Set.of(kept.hex() + ".torrent", kept.hex() + ".sig"), fileNames());
    }

    @Test
    void aSecondKeyPublishingATakenNameKeepsBothAndIsToldWhoElseUsesIt() throws Exception {
        Catalog c = Catalog.open(dir);
        SigningKey other = SigningKey.generate(new SecureRandom());
        byte[] first = TestTorrents.singleFile("movie.mkv", 10, 1);
        byte[] second = TestTorrents.singleFile("movie.mkv", 10, 2);
        byte[] again = TestTorrents.singleFile("movie.mkv", 10, 3);
        Metainfo m1 = TestTorrents.parse(first);
        Metainfo m2 = TestTorrents.parse(second);
        Metainfo m3 = TestTorrents.parse(again);
        assertEquals(List.of(), c.publish(first, m1, TorrentSignature.sign(key, m1)).otherPublishers());
        Catalog.PublishResult r = c.publish(second, m2, TorrentSignature.sign(other, m2));
        assertTrue(r.created());
        assertEquals(List.of(key.publicKey()), r.otherPublishers());
        // The first publisher adding another torrent of the name hears about the second key only.
        assertEquals(List.of(other.publicKey()), c.publish(again, m3, TorrentSignature.sign(key, m3)).otherPublishers());
        assertEquals(3, c.named("movie.mkv").size());
    }

    @Test
    void suggestionsRankCaseThenContainedTextThenWordsThenEdits() throws Exception {
        Catalog c = Catalog.open(dir);
        int salt = 0;
        for (String name : List.of("Ubuntu-24.04.iso", "ubuntu-24.04.iso.sha256", "24.04 ubuntu desktop", "ubuntu-24.10.iso",
                "debian.iso", "photos")) {
            publish(c, TestTorrents.singleFile(name, 10, salt++));
        }
        assertEquals(List.of("Ubuntu-24.04.iso", "ubuntu-24.04.iso.sha256", "ubuntu-24.10.iso"),
                c.suggestions("ubuntu-24.04.iso", 5));
        assertEquals(List.of("24.04 ubuntu desktop", "Ubuntu-24.04.iso", "ubuntu-24.04.iso.sha256"),
                c.suggestions("ubuntu 24.04", 5));
        assertEquals(List.of("photos"), c.suggestions("Fotos", 5));
        assertEquals(List.of(), c.suggestions("zzzzzzzz", 5));
        assertEquals(2, c.suggestions("ubuntu", 2).size());
    }

    private Set<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private static Set<String> names(Catalog.Page page) {
        return page.torrents().stream().map(TorrentSummary::name).collect(Collectors.toSet());
    }
}
