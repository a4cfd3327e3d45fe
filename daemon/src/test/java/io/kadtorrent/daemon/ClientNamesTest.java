package io.kadtorrent.daemon;

import io.kadtorrent.engine.wire.Handshake;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClientNamesTest {

    private static String of(String id) {
        return ClientNames.of(id.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void namesTheCommonClientsAndShowsOthersAsTheyAre() {
        assertEquals("libtorrent 2.0.11", of("-LT20B0-abcdefghijkl"));
        assertEquals("Transmission 3.0.0", of("-TR3000-abcdefghijkl"));
        assertEquals("qBittorrent 4.6.2", of("-qB4620-abcdefghijkl"));
        assertEquals("aria2 1.36.0", of("A2-1-36-0-abcdefghij"));
        assertEquals("BitTorrent 4.4.0", of("M4-4-0--abcdefghijkl"));
        assertEquals("ZZ 1.2.3.4", of("-ZZ1234-abcdefghijkl"));
        assertEquals("?odd id?", ClientNames.of(new byte[]{1, 'o', 'd', 'd', ' ', 'i', 'd', 2, 0, 0}));
        assertEquals("unknown", ClientNames.of(new byte[3]));
    }

    @Test
    void ourOwnPeerIdNamesUs() {
        assertEquals("kadtorrent 0.1.0", ClientNames.of(Handshake.newPeerId(new SecureRandom())));
    }
}
