package io.kadtorrent.metadata.protocol;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetadataResponseCodecTest {

    private static byte[] hex(String s) {
        return BaseEncoding.base16().lowerCase().decode(s.replace(" ", ""));
    }

    @Test
    void searchPageHasTheDocumentedBytes() throws Exception {
        // docs/metadata-protocol.md, the response frame body after its 4-byte length 0xb4
        byte[] body = hex("64 32 3a 69 64 69 37 65 36 3a 6f 66"                   // d 2:id i7e 6:of
                + "66 73 65 74 69 30 65 32 3a 6f 6b 69 31 65 38 3a"               // fset i0e 2:ok i1e 8:
                + "74 6f 72 72 65 6e 74 73 6c 64 35 3a 66 69 6c 65"               // torrents l d 5:file
                + "73 69 31 65 39 3a 69 6e 66 6f 5f 68 61 73 68 32"               // s i1e 9:info_hash 2
                + "30 3a b2 6c 81 36 3a c1 a2 36 76 53 85 a7 02 ae"               // 0: <20 bytes ...
                + "c1 07 a4 95 81 b5 33 3a 6b 65 79 33 32 3a 3d 40"               // ...> 3:key 32: <32 bytes ...
                + "17 c3 e8 43 89 5a 92 b7 0a a7 4d 1b 7e bc 9c 98"
                + "2c cf 2e c4 96 8c c0 cd 55 f1 2a f4 66 0c 36 3a"               // ...> 6:
                + "6c 65 6e 67 74 68 69 36 31 31 34 36 35 36 32 35"               // length i611465625
                + "36 65 34 3a 6e 61 6d 65 31 36 3a 75 62 75 6e 74"               // 6e 4:name 16:ubunt
                + "75 2d 32 34 2e 30 34 2e 69 73 6f 65 65 35 3a 74"               // u-24.04.iso e e 5:t
                + "6f 74 61 6c 69 31 65 65");                                     // otal i1e e
        assertEquals(0xb4, body.length);
        MetadataResponse expected = new MetadataResponse.Page(7, List.of(new TorrentSummary(
                InfoHash.parse("b26c81363ac1a236765385a702aec107a49581b5"), "ubuntu-24.04.iso", 6114656256L, 1,
                PublisherKey.of(hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c")))), 1, 0);
        assertEquals(expected, MetadataResponseCodec.decode(body));
        assertArrayEquals(body, MetadataResponseCodec.encode(expected));
    }

    @Test
    void searchPageOfAnOlderServerWithoutKeysStillDecodes() throws Exception {
        // The v1 page before entries carried "key": the publisher reads as unknown.
        byte[] body = hex("64 32 3a 69 64 69 37 65 36 3a 6f 66"                   // d 2:id i7e 6:of
                + "66 73 65 74 69 30 65 32 3a 6f 6b 69 31 65 38 3a"               // fset i0e 2:ok i1e 8:
                + "74 6f 72 72 65 6e 74 73 6c 64 35 3a 66 69 6c 65"               // torrents l d 5:file
                + "73 69 31 65 39 3a 69 6e 66 6f 5f 68 61 73 68 32"               // s i1e 9:info_hash 2
                + "30 3a b2 6c 81 36 3a c1 a2 36 76 53 85 a7 02 ae"               // 0: <20 bytes ...
                + "c1 07 a4 95 81 b5 36 3a 6c 65 6e 67 74 68 69 36"               // ...> 6:length i6
                + "31 31 34 36 35 36 32 35 36 65 34 3a 6e 61 6d 65"               // 114656256e 4:name
                + "31 36 3a 75 62 75 6e 74 75 2d 32 34 2e 30 34 2e"               // 16:ubuntu-24.04.
                + "69 73 6f 65 65 35 3a 74 6f 74 61 6c 69 31 65 65");             // iso e e 5:total i1e e
        assertEquals(0x8c, body.length);
        MetadataResponse expected = new MetadataResponse.Page(7, List.of(new TorrentSummary(
                InfoHash.parse("b26c81363ac1a236765385a702aec107a49581b5"), "ubuntu-24.04.iso", 6114656256L, 1,
                Optional.empty())), 1, 0);
        assertEquals(expected, MetadataResponseCodec.decode(body));
        assertArrayEquals(body, MetadataResponseCodec.encode(expected));
    }

    @Test
    void failureHasTheDocumentedBytes() throws Exception {
        byte[] body = "d5:errord4:codei404e7:message20:no torrent named 'x'e2:idi8e2:oki0ee".getBytes(ISO_8859_1);
        MetadataResponse expected = new MetadataResponse.Failure(8, ErrorCode.NOT_FOUND, "no torrent named 'x'");
        assertEquals(expected, MetadataResponseCodec.decode(body));
        assertArrayEquals(body, MetadataResponseCodec.encode(expected));
    }

    @Test
    void notFoundWithSuggestionsHasTheDocumentedBytes() throws Exception {
        byte[] body = ("d5:errord4:codei404e7:message59:no torrent named 'Ubuntu'; did you mean 'ubuntu-24.04.iso'?"
                + "11:suggestionsl16:ubuntu-24.04.isoee2:idi9e2:oki0ee").getBytes(ISO_8859_1);
        assertEquals(0x8e, body.length);
        MetadataResponse expected = new MetadataResponse.Failure(9, ErrorCode.NOT_FOUND,
                "no torrent named 'Ubuntu'; did you mean 'ubuntu-24.04.iso'?", List.of("ubuntu-24.04.iso"));
        assertEquals(expected, MetadataResponseCodec.decode(body));
        assertArrayEquals(body, MetadataResponseCodec.encode(expected));
    }

    @Test
    void publishedSaysWhenTheNameIsTakenByAnotherKey() throws Exception {
        PublisherKey other = PublisherKey.of(hex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
        InfoHash h = InfoHash.parse("b26c81363ac1a236765385a702aec107a49581b5");
        MetadataResponse taken = new MetadataResponse.Published(3, h, true, List.of(other));
        assertEquals(taken, MetadataResponseCodec.decode(MetadataResponseCodec.encode(taken)));
        // An older server says neither: nobody else uses the name as far as we know.
        byte[] old = ("d7:createdi1e2:idi3e9:info_hash20:" + new String(h.bytes(), ISO_8859_1) + "2:oki1ee")
                .getBytes(ISO_8859_1);
        MetadataResponse.Published decoded = (MetadataResponse.Published) MetadataResponseCodec.decode(old);
        assertFalse(decoded.nameTakenByOtherKey());
        assertEquals(new MetadataResponse.Published(3, h, true), decoded);
        assertEquals(new MetadataResponse.Unpublished(4, h),
                MetadataResponseCodec.decode(MetadataResponseCodec.encode(new MetadataResponse.Unpublished(4, h))));
    }

    @Test
    void aFullPageWithPublisherKeysStaysWithinTheFrameLimits() throws Exception {
        PublisherKey key = PublisherKey.of(new byte[PublisherKey.LENGTH]);
        List<TorrentSummary> entries = new java.util.ArrayList<>();
        for (int i = 0; i < MetadataRequest.MAX_PAGE; i++) {
            byte[] hash = new byte[InfoHash.LENGTH];
            hash[0] = (byte) i;
            hash[1] = (byte) (i >> 8);
            entries.add(new TorrentSummary(InfoHash.of(hash), "name-" + i, i, 1, key));
        }
        MetadataResponse page = new MetadataResponse.Page(1, entries, 5000, 0);
        assertEquals(page, MetadataResponseCodec.decode(MetadataResponseCodec.encode(page)));
    }

    @Test
    void unknownErrorCodeFromANewerServerReadsAsInternalError() throws Exception {
        byte[] body = "d5:errord4:codei599e7:message3:newe2:idi1e2:oki0ee".getBytes(ISO_8859_1);
        assertEquals(new MetadataResponse.Failure(1, ErrorCode.INTERNAL_ERROR, "new"), MetadataResponseCodec.decode(body));
    }

    @Test
    void nodesEntryOfWrongShapeIsRefused() {
        byte[] body = "d2:idi1e5:nodesl3:abce2:oki1ee".getBytes(ISO_8859_1);
        MetadataProtocolException e = assertThrows(MetadataProtocolException.class, () -> MetadataResponseCodec.decode(body));
        assertEquals("nodes entries must be [host, port]", e.getMessage());
    }
}
