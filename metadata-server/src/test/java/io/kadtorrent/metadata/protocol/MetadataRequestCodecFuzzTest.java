package io.kadtorrent.metadata.protocol;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link MetadataRequestCodec#decode(byte[])}, the server's reading of every
 * request frame a client sends. Properties: only {@link MetadataProtocolException} escapes, and the
 * failure the server answers with stays short (a client cannot make it echo a large frame back); an
 * accepted request survives {@code decode(encode(r))} unchanged, and its encoding is a fixed point.
 * Corpus: {@code MetadataRequestCodecFuzzTestInputs/decode}.
 */
class MetadataRequestCodecFuzzTest {

    /** The longest failure message the server may send back for a bad request. */
    static final int MAX_ERROR_CHARS = 1_024;

    @FuzzTest
    void decode(byte[] frame) throws MetadataProtocolException {
        MetadataRequest r;
        try {
            r = MetadataRequestCodec.decode(frame);
        } catch (MetadataProtocolException e) {
            assertTrue(e.getMessage().length() <= MAX_ERROR_CHARS, "error of " + e.getMessage().length() + " chars");
            return;
        }
        byte[] encoded = MetadataRequestCodec.encode(r);
        MetadataRequest again = MetadataRequestCodec.decode(encoded);
        assertEquals(r, again);
        assertArrayEquals(encoded, MetadataRequestCodec.encode(again));
    }
}
