package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/interop/extra.sh} under {@code mvn -Pinterop}: against libtorrent, a magnet with only a
 * {@code tr=} tracker both ways (a local tracker is the only source of peers), and a swarm on {@code ::1}
 * both ways, every copy diffed.
 */
@Tag("interop")
class InteropExtraIT {

    @Test
    void aTrackerOnlyMagnetAndAnIpv6SwarmWorkBothWaysWithLibtorrent() throws Exception {
        String out = InteropScript.runPassing("interop/extra.sh", Duration.ofMinutes(10));
        for (String c : new String[] {"tracker-magnet libtorrent->kadtorrent", "tracker-magnet kadtorrent->libtorrent",
                "ipv6 libtorrent->kadtorrent", "ipv6 kadtorrent->libtorrent"}) {
            assertTrue(out.contains(c + " PASS"), c + " passed:\n" + out);
        }
    }
}
