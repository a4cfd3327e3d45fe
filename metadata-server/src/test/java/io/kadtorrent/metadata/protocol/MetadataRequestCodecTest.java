package io.kadtorrent.metadata.protocol;

import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetadataRequestCodecTest {

    @Test
    void searchRequestHasTheDocumentedBytes() throws Exception {
        // docs/metadata-protocol.md: d 2:id i7e 5:limit i2e 6:offset i0e 2:op 6:search 7:pattern 6:ubuntu e
        byte[] wire = "d2:idi7e5:limiti2e6:offseti0e2:op6:search7:pattern6:ubuntue".getBytes(ISO_8859_1);
        assertEquals(0x3b, wire.length);
        MetadataRequest decoded = MetadataRequestCodec.decode(wire);
        assertEquals(new MetadataRequest.Search(7, "ubuntu", 0, 2), decoded);
        assertArrayEquals(wire, MetadataRequestCodec.encode(decoded));
    }

    @Test
    void listDefaultsToFirstPageOfFifty() throws Exception {
        MetadataRequest r = MetadataRequestCodec.decode("d2:idi1e2:op4:liste".getBytes(ISO_8859_1));
        assertEquals(new MetadataRequest.ListTorrents(1, 0, MetadataRequestCodec.DEFAULT_LIMIT), r);
    }

    @Test
    void everyRequestKindRoundTrips() throws Exception {
        byte[] torrent = TestTorrents.singleFile("x", 5, 1);
        TorrentSignature sig = TorrentSignature.sign(SigningKey.generate(new SecureRandom()), TestTorrents.parse(torrent));
        InfoHash h = TestTorrents.parse(torrent).infoHash();
        SigningKey key = SigningKey.generate(new SecureRandom());
        for (MetadataRequest r : new MetadataRequest[]{
                new MetadataRequest.GetByName(7, "x", Optional.of(key.publicKey())),
                new MetadataRequest.Unpublish(8, UnpublishSignature.sign(key, h, Instant.ofEpochSecond(1_700_000_000))),
                new MetadataRequest.ListTorrents(1, 20, 10),
                new MetadataRequest.Search(2, "Ünïcode", 0, 1000),
                new MetadataRequest.GetByInfoHash(3, h),
                new MetadataRequest.GetByName(4, "x"),
                new MetadataRequest.Publish(5, torrent, sig),
                new MetadataRequest.Nodes(6)}) {
            assertEquals(r, MetadataRequestCodec.decode(MetadataRequestCodec.encode(r)));
        }
    }

    @Test
    void unknownOpIsABadRequestThatKeepsTheId() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("d2:idi9e2:op6:deletee".getBytes(ISO_8859_1)));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals(9, e.requestId());
        assertFalse(e.isMalformedFrame());
        assertTrue(e.getMessage().contains("unknown op 'delete'"), e.getMessage());
    }

    @Test
    void frameWithoutIdIsMalformed() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("d2:op4:liste".getBytes(ISO_8859_1)));
        assertTrue(e.isMalformedFrame());
        assertEquals("id is missing", e.getMessage());
    }

    @Test
    void garbageIsMalformed() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("GET / HTTP/1.1\r\n".getBytes(ISO_8859_1)));
        assertTrue(e.isMalformedFrame());
    }

    @Test
    void limitAboveMaximumIsRefusedByName() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("d2:idi1e5:limiti5000e2:op4:liste".getBytes(ISO_8859_1)));
        assertEquals("limit must be 1..1000", e.getMessage());
    }

    @Test
    void publishWithoutSignatureIsBadSignature() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("d2:idi1e2:op7:publish7:torrent2:dee".getBytes(ISO_8859_1)));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
        assertTrue(e.getMessage().contains("unsigned"), e.getMessage());
    }

    @Test
    void unpublishWithoutSignatureIsBadSignature() {
        String hash = "20:" + "a".repeat(20);
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class, () -> MetadataRequestCodec.decode(
                ("d2:idi1e9:info_hash" + hash + "2:op9:unpublish4:timei1700000000ee").getBytes(ISO_8859_1)));
        assertEquals(ErrorCode.BAD_SIGNATURE, e.code());
        assertTrue(e.getMessage().contains("unsigned"), e.getMessage());
    }

    @Test
    void unpublishWithoutTimeIsABadRequest() {
        String hash = "20:" + "a".repeat(20);
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class, () -> MetadataRequestCodec.decode(
                ("d2:idi1e9:info_hash" + hash + "2:op9:unpublishe").getBytes(ISO_8859_1)));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals(1, e.requestId());
    }

    @Test
    void getByNameWithKeyOfWrongLengthIsRefused() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("d2:idi1e3:key3:abc4:name1:x2:op3:gete".getBytes(ISO_8859_1)));
        assertEquals(ErrorCode.BAD_REQUEST, e.code());
        assertEquals("key must be 32 bytes (Ed25519), got 3", e.getMessage());
    }

    @Test
    void getWithShortInfoHashIsRefused() {
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class,
                () -> MetadataRequestCodec.decode("d2:idi1e9:info_hash3:abc2:op3:gete".getBytes(ISO_8859_1)));
        assertEquals("info_hash must be 20 bytes, got 3", e.getMessage());
    }
}
