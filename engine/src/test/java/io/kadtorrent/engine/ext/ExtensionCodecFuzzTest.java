package io.kadtorrent.engine.ext;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link ExtensionCodec#decode(int, byte[])}: BEP 10 extension handshakes,
 * BEP 9 ut_metadata requests, data and rejects, and BEP 11 ut_pex messages, as a peer sends them.
 * Properties: only {@link ExtensionProtocolException} escapes; a metadata data piece is never larger than
 * 16 KiB nor a pex message longer than {@link PexMessage#MAX_PEERS} peers; every decoded message survives
 * {@code decode(encode(m))} unchanged. Input: one byte choosing the extended id (its value mod 4: 0 handshake,
 * 1 ut_pex, 2 ut_metadata, 3 an id we did not advertise), then the payload. Corpus: {@code ExtensionCodecFuzzTestInputs/decode}.
 */
class ExtensionCodecFuzzTest {

    private static final int[] IDS = {ExtensionCodec.HANDSHAKE_ID, ExtensionCodec.UT_PEX_ID,
            ExtensionCodec.UT_METADATA_ID, 7};

    @FuzzTest
    void decode(byte[] input) throws ExtensionProtocolException {
        if (input.length == 0) {
            return;
        }
        int id = IDS[(input[0] & 0xFF) % IDS.length];
        byte[] payload = Arrays.copyOfRange(input, 1, input.length);
        Optional<ExtensionMessage> decoded;
        try {
            decoded = ExtensionCodec.decode(id, payload);
        } catch (ExtensionProtocolException rejected) {
            return;
        }
        if (decoded.isEmpty()) {
            return;
        }
        ExtensionMessage m = decoded.get();
        byte[] encoded;
        if (m instanceof ExtensionHandshake h) {
            encoded = ExtensionCodec.encode(h);
        } else if (m instanceof PexMessage p) {
            assertTrue(p.added().size() + p.dropped().size() <= 2 * PexMessage.MAX_PEERS, "pex of " + p);
            assertTrue(p.added().size() <= PexMessage.MAX_PEERS && p.dropped().size() <= PexMessage.MAX_PEERS);
            encoded = ExtensionCodec.encode(p);
        } else {
            MetadataMessage mm = (MetadataMessage) m;
            if (mm instanceof MetadataMessage.Data d) {
                assertTrue(d.data().length <= MetadataLayout.PIECE_BYTES, "data of " + d.data().length);
            }
            encoded = ExtensionCodec.encode(mm);
        }
        assertEquals(m, ExtensionCodec.decode(id, encoded).orElseThrow());
    }
}
