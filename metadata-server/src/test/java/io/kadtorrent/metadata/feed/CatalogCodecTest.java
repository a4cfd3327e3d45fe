package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.signing.CatalogSignature;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogCodecTest {

    static final SigningKey ALICE = SigningKey.generate(new SecureRandom());
    static final SigningKey MALLORY = SigningKey.generate(new SecureRandom());

    static Metainfo torrent(String name, int salt) {
        return TestTorrents.parse(TestTorrents.singleFile(name, 1000 + salt, salt));
    }

    static PublisherCatalog catalogOf(SigningKey key, String... names) {
        PublisherCatalog c = PublisherCatalog.empty(key.publicKey(), 1_700_000_000L);
        for (int i = 0; i < names.length; i++) {
            Metainfo t = torrent(names[i], i);
            c = c.with(ListedTorrent.of(t, TorrentSignature.sign(key, t), 1_700_000_000L + i), 1_700_000_100L + i);
        }
        return c;
    }

    @Test
    void decodesWhatItEncodedAndEncodesTheSameCatalogToTheSameBytes() throws Exception {
        PublisherCatalog c = catalogOf(ALICE, "photos", "Music 2026", "ébook.epub");
        byte[] bytes = CatalogCodec.encode(c, ALICE);
        assertEquals(c, CatalogCodec.decode(bytes, ALICE.publicKey()));
        assertArrayEquals(bytes, CatalogCodec.encode(CatalogCodec.decode(bytes, ALICE.publicKey()), ALICE));
        assertEquals(CatalogTorrent.of(bytes).infoHash(), CatalogTorrent.of(bytes.clone()).infoHash());
    }

    @Test
    void listsEachInfoHashOnceAndFindsTheNewestOfAName() {
        Metainfo t = torrent("photos", 1);
        Metainfo newer = torrent("photos", 2);
        PublisherCatalog c = PublisherCatalog.empty(ALICE.publicKey(), 1);
        c = c.with(ListedTorrent.of(t, TorrentSignature.sign(ALICE, t), 10), 10);
        assertSame(c, c.with(ListedTorrent.of(t, TorrentSignature.sign(ALICE, t), 20), 20));
        c = c.with(ListedTorrent.of(newer, TorrentSignature.sign(ALICE, newer), 30), 30);
        assertEquals(newer.infoHash(), c.newest("photos").orElseThrow().infoHash());
        assertEquals(2, c.search("PHOT").size());
        assertTrue(c.newest("phot").isEmpty());
    }

    @Test
    void refusesACatalogOfAnotherPublisher() {
        byte[] bytes = CatalogCodec.encode(catalogOf(MALLORY, "photos"), MALLORY);
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class,
                () -> CatalogCodec.decode(bytes, ALICE.publicKey()));
        assertTrue(e.getMessage().contains("another key"), e.getMessage());
    }

    @Test
    void refusesACatalogThatNamesThePublisherButIsSignedByAnotherKey() {
        byte[] body = body(ALICE.publicKey(), List.of());
        byte[] forged = top(body, CatalogSignature.sign(MALLORY, body));
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class,
                () -> CatalogCodec.decode(forged, ALICE.publicKey()));
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
    }

    @Test
    void refusesASignedEntryWhoseNameCouldEscapeTheDownloadFolder() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("date", 1L);
        entry.put("info_hash", new byte[20]);
        entry.put("length", 5L);
        entry.put("name", "../etc");
        entry.put("sig", new byte[64]);
        byte[] body = body(ALICE.publicKey(), List.of(entry));
        byte[] bytes = top(body, CatalogSignature.sign(ALICE, body));
        InvalidCatalogException e = assertThrows(InvalidCatalogException.class,
                () -> CatalogCodec.decode(bytes, ALICE.publicKey()));
        assertTrue(e.getMessage().contains("safe file name"), e.getMessage());
    }

    @Test
    void refusesSignedEntriesOfTheWrongShape() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of("info_hash", new byte[19], "sig", new byte[63],
                "length", "five", "date", new byte[1]).entrySet()) {
            Map<String, Object> entry = new LinkedHashMap<>(Map.of("date", 1L, "info_hash", new byte[20], "length", 5L,
                    "name", "ok", "sig", new byte[64]));
            entry.put(bad.getKey(), bad.getValue());
            byte[] body = body(ALICE.publicKey(), List.of(entry));
            byte[] bytes = top(body, CatalogSignature.sign(ALICE, body));
            assertThrows(InvalidCatalogException.class, () -> CatalogCodec.decode(bytes, ALICE.publicKey()),
                    bad.getKey());
        }
    }

    @Test
    void refusesHostileBytes() {
        for (String hostile : List.of("", "le", "d7:catalogi1e3:sig64:" + "x".repeat(64) + "e", "i1e",
                "d7:catalogd", "d" + "l".repeat(100_000))) {
            assertThrows(InvalidCatalogException.class,
                    () -> CatalogCodec.decode(hostile.getBytes(US_ASCII), ALICE.publicKey()), hostile);
        }
        assertThrows(InvalidCatalogException.class,
                () -> CatalogCodec.decode(new byte[CatalogCodec.MAX_BYTES + 1], ALICE.publicKey()));
    }

    @Test
    void anEntryDescribesOnlyTheMetadataItsPublisherSigned() {
        Metainfo t = torrent("photos", 1);
        ListedTorrent listed = ListedTorrent.of(t, TorrentSignature.sign(ALICE, t), 1);
        assertTrue(listed.describes(t));
        assertFalse(listed.describes(torrent("photos", 2)));
        ListedTorrent forged = new ListedTorrent("photos", t.infoHash(), t.totalBytes(), 1,
                new TorrentSignature(ALICE.publicKey(), TorrentSignature.sign(MALLORY, t).signature()));
        assertFalse(forged.describes(t));
        assertThrows(IllegalArgumentException.class, () -> ListedTorrent.of(t, TorrentSignature.sign(ALICE, torrent("x", 3)), 1));
    }

    @Test
    void pointerNamesTheCatalogTorrentAndRefusesAnythingElse() throws Exception {
        Metainfo t = CatalogTorrent.of(CatalogCodec.encode(catalogOf(ALICE, "a"), ALICE));
        assertEquals("d2:ih20:", new String(CatalogPointer.to(t.infoHash()).bytes(), 0, 8, US_ASCII));
        assertEquals(t.infoHash(), CatalogPointer.parse(CatalogPointer.to(t.infoHash())));
        for (String bad : List.of("i1e", "d2:ih19:0123456789012345678e", "d2:ihi5ee", "le", "d2:ih")) {
            assertThrows(InvalidCatalogException.class,
                    () -> CatalogPointer.parse(io.kadtorrent.dht.items.ItemValue.of(bad.getBytes(US_ASCII))), bad);
        }
    }

    @Test
    void onlyASmallSingleCatalogFileCountsAsACatalogTorrent() throws Exception {
        CatalogTorrent.check(CatalogTorrent.of(new byte[100]));
        assertThrows(InvalidCatalogException.class, () -> CatalogTorrent.check(torrent("photos", 1)));
        assertThrows(InvalidCatalogException.class, () -> CatalogTorrent.check(
                TestTorrents.parse(TestTorrents.multiFile(CatalogTorrent.FILE_NAME, 1, "a", "b"))));
        assertThrows(InvalidCatalogException.class, () -> CatalogTorrent.check(TestTorrents.parse(
                TestTorrents.singleFile(CatalogTorrent.FILE_NAME, CatalogCodec.MAX_BYTES + 1L, 1))));
    }

    static byte[] body(PublisherKey publisher, List<Object> entries) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("publisher", publisher.bytes());
        body.put("updated", 1L);
        body.put("v", 1L);
        return BencodeCodec.encode(body);
    }

    static byte[] top(byte[] body, byte[] sig) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("catalog", RawBencode.of(body));
        top.put("sig", sig);
        return BencodeCodec.encode(top);
    }
}
