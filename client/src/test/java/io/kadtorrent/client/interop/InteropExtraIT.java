package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/interop/extra.sh} under {@code mvn -Pinterop}: against libtorrent, a magnet with only a
 * {@code tr=} tracker both ways (a local tracker is the only source of peers), a swarm on {@code ::1}
 * both ways, and peer exchange both ways (libtorrent learns a peer only our ut_pex names, and we learn one
 * only libtorrent's names), every copy diffed.
 */
@Tag("interop")
class InteropExtraIT {

    @Test
    void aTrackerOnlyMagnetAnIpv6SwarmAndPeerExchangeWorkBothWaysWithLibtorrent() throws Exception {
        String out = InteropScript.runPassing("interop/extra.sh", Duration.ofMinutes(15));
        for (String c : new String[] {"tracker-magnet libtorrent->kadtorrent", "tracker-magnet kadtorrent->libtorrent",
                "ipv6 libtorrent->kadtorrent", "ipv6 kadtorrent->libtorrent",
                "pex kadtorrent->libtorrent", "pex libtorrent->kadtorrent"}) {
            assertTrue(out.contains(c + " PASS"), c + " passed:\n" + out);
        }
    }
}
