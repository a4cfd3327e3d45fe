package io.kadtorrent.metadata.protocol;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class MetadataResponseCodecTest {

    private static byte[] hex(String s) {
        return BaseEncoding.base16().lowerCase().decode(s.replace(" ", ""));
    }

    @Test
    void searchPageHasTheDocumentedBytes() throws Exception {
        // docs/metadata-protocol.md, the response frame body after its 4-byte length 0x8c
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
                InfoHash.parse("b26c81363ac1a236765385a702aec107a49581b5"), "ubuntu-24.04.iso", 6114656256L, 1)), 1, 0);
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
