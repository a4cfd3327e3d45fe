package io.kadtorrent.engine.tracker;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link HttpTrackerCodec#parse(byte[])}, the body an HTTP tracker answers an
 * announce with. Properties: only {@link TrackerException} escapes; at most {@link HttpTrackerCodec#MAX_PEERS}
 * peers, each a resolved address with a port in 1..65535 that came from a literal (its name was never looked
 * up); intervals within [0, one week]; seeders and leechers >= -1; a warning stays short.
 * Corpus: {@code HttpTrackerCodecFuzzTestInputs/parse}.
 */
class HttpTrackerCodecFuzzTest {

    @FuzzTest
    void parse(byte[] body) throws TrackerException {
        AnnounceResponse r;
        try {
            r = HttpTrackerCodec.parse(body);
        } catch (TrackerException rejected) {
            return;
        }
        assertTrue(r.peers().size() <= HttpTrackerCodec.MAX_PEERS, "peers " + r.peers().size());
        for (InetSocketAddress p : r.peers()) {
            assertFalse(p.isUnresolved(), p.toString());
            assertTrue(p.getPort() >= 1 && p.getPort() <= 0xFFFF, p.toString());
            // InetAddress.toString() is "name/literal": a name before the slash means one was looked up
            assertTrue(p.getAddress().toString().startsWith("/"), "a looked-up name: " + p);
        }
        assertTrue(r.intervalSeconds() >= 0 && r.intervalSeconds() <= 7 * 24 * 3600, "interval " + r.intervalSeconds());
        assertTrue(r.minIntervalSeconds() >= 0 && r.minIntervalSeconds() <= 7 * 24 * 3600);
        assertTrue(r.seeders() >= -1 && r.leechers() >= -1);
        r.warning().ifPresent(w -> assertTrue(w.length() <= 300, "warning of " + w.length()));
    }
}
