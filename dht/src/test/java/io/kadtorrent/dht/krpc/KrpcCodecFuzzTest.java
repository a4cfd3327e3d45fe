package io.kadtorrent.dht.krpc;

import com.code_intelligence.jazzer.junit.FuzzTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link KrpcCodec#decode(byte[])}, which every UDP datagram reaching the DHT
 * node goes through. Properties: only {@link KrpcDecodeException} escapes, and one that says a query was
 * bad carries the transaction id to answer to; a reply holds no more nodes (26 bytes each) and peers
 * (6 bytes each) than the datagram had room for; {@code decode(encode(m))} gives {@code m} back.
 * Corpus: {@code KrpcCodecFuzzTestInputs/decode}.
 */
class KrpcCodecFuzzTest {

    @FuzzTest
    void decode(byte[] datagram) throws KrpcDecodeException {
        KrpcMessage m;
        try {
            m = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            assertTrue(!e.wasQuery() || e.transactionId().isPresent(), "a bad query without its transaction id");
            return;
        }
        if (m instanceof KrpcResponse r) {
            assertTrue(r.nodes().size() * 26L <= datagram.length, "nodes " + r.nodes().size());
            assertTrue(r.values().size() * 6L <= datagram.length, "values " + r.values().size());
        }
        assertEquals(m, KrpcCodec.decode(KrpcCodec.encode(m)));
    }
}
