package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/interop/matrix.sh} under {@code mvn -Pinterop}: libtorrent, Transmission 3.00 and aria2
 * each seed to {@code kadtorrent get} and download from {@code kadtorrent seed}, in plain text and with
 * MSE/PE RC4 required on both sides, every copy diffed against the source. The script installs the
 * Debian packages it lacks, builds the jar when it is missing and stops every process it starts.
 */
@Tag("interop")
class InteropMatrixIT {

    private static final String[] CASES = {
            "libtorrent-plain-seeds", "libtorrent-plain-gets", "transmission-plain-seeds", "transmission-plain-gets",
            "aria2-plain-seeds", "aria2-plain-gets", "libtorrent-require-seeds", "libtorrent-require-gets",
            "transmission-require-seeds", "transmission-require-gets", "aria2-require-seeds", "aria2-require-gets"};

    @Test
    void everyReferenceClientExchangesDataWithUsBothWaysPlainAndEncrypted() throws Exception {
        String out = InteropScript.runPassing("interop/matrix.sh", Duration.ofMinutes(30));
        for (String c : CASES) {
            assertTrue(out.contains("case " + c + ": PASS"), c + " passed:\n" + out);
        }
        assertTrue(out.contains("interop matrix: PASS"), out);
    }
}
