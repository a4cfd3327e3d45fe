package io.kadtorrent.metadata.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Coverage-guided fuzzing of {@link MetadataResponseCodec#decode(byte[])}, the client's reading of what a
 * (possibly hostile) metadata server answers. Properties: only {@link MetadataProtocolException} escapes;
 * an accepted response survives {@code decode(encode(r))} unchanged and its encoding is a fixed point; a
 * torrent answer written the server's zero-copy way (head, torrent bytes, {@code e}) reads back the same.
 * Corpus: {@code MetadataResponseCodecFuzzTestInputs/decode}.
 */
class MetadataResponseCodecFuzzTest {

    @FuzzTest
    void decode(byte[] frame) throws MetadataProtocolException {
        MetadataResponse r;
        try {
            r = MetadataResponseCodec.decode(frame);
        } catch (MetadataProtocolException rejected) {
            return;
        }
        byte[] encoded = MetadataResponseCodec.encode(r);
        MetadataResponse again = MetadataResponseCodec.decode(encoded);
        assertEquals(r, again);
        assertArrayEquals(encoded, MetadataResponseCodec.encode(again));
        if (r instanceof MetadataResponse.Torrent t) {
            ByteArrayOutputStream zeroCopy = new ByteArrayOutputStream();
            zeroCopy.writeBytes(MetadataResponseCodec.encodeTorrentHead(t));
            zeroCopy.writeBytes(t.torrent());
            zeroCopy.write('e');
            assertEquals(r, MetadataResponseCodec.decode(zeroCopy.toByteArray()));
        }
    }
}
