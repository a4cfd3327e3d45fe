package io.kadtorrent.torrent.magnet;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link MagnetLink#parse(String)} (links pasted by users, sent to the daemon's
 * API, opened from browsers). Properties: only {@link IllegalArgumentException} escapes; what is accepted
 * keeps no more trackers and peers than the text had parameters; {@code parse(toUri())} gives the same
 * link back. Corpus: {@code MagnetLinkFuzzTestInputs/parse} (UTF-8 text).
 */
class MagnetLinkFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        MagnetLink link;
        try {
            link = MagnetLink.parse(text);
        } catch (IllegalArgumentException rejected) {
            return;
        }
        long params = text.chars().filter(c -> c == '&').count() + 1;
        assertTrue(link.trackers().size() + link.peers().size() < params, "more values than parameters");
        assertEquals(link, MagnetLink.parse(link.toUri()));
    }
}
