package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/dht/interop.sh} under {@code mvn -Pinterop}: against libtorrent on 127.0.0.1 and on ::1,
 * each side finds the peer the other announced, and gets the BEP 44 items the other put (immutable, and
 * mutable without and with a salt), through one of our dht-nodes; libtorrent bootstraps from nothing else.
 */
@Tag("interop")
class LibtorrentDhtIT {

    private static final String[] BEP44_CHECKS = {
            "immutable kadtorrent-put libtorrent-get", "immutable libtorrent-put kadtorrent-get",
            "mutable no salt kadtorrent-put libtorrent-get", "mutable no salt libtorrent-put kadtorrent-get",
            "mutable with salt kadtorrent-put libtorrent-get", "mutable with salt libtorrent-put kadtorrent-get"};

    @Test
    void libtorrentAndWeFindEachOthersPeersAndItemsInBothDhts() throws Exception {
        String out = InteropScript.runPassing("dht/interop.sh", Duration.ofMinutes(15));
        for (String c : BEP44_CHECKS) {
            assertEquals(2, out.lines().filter(l -> l.equals("bep44: " + c + " OK")).count(),
                    c + " passed on 127.0.0.1 and ::1:\n" + out);
        }
        assertEquals(2, out.lines().filter(l -> l.startsWith("interop: libtorrent found") && l.endsWith("-> OK")).count(), out);
        assertEquals(2, out.lines().filter(l -> l.equals("interop: kadtorrent found libtorrent's peer -> OK")).count(), out);
        assertTrue(out.contains("bep44: 6 of 6 checks passed"), out);
    }
}
