package io.kadtorrent.engine.tracker;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpTrackerCodecTest {

    @Test
    void namesThatOnlyLookNumericAreDroppedWithoutBeingResolved() throws TrackerException {
        // "1.2.3.4.5" and "1:2" passed the old pattern check and went to InetAddress.getByName, a DNS lookup
        for (String name : List.of("1.2.3.4.5", "1..2.3.4", ".......", "1:2", "abc:def", "127.1", "1234567")) {
            assertTrue(HttpTrackerCodec.literalAddress(name).isEmpty(), name);
        }
        String body = "d8:intervali60e5:peersl"
                + "d2:ip9:1.2.3.4.54:porti1ee"
                + "d2:ip9:127.0.0.14:porti2ee"
                + "d2:ip3:::14:porti3ee"
                + "d2:ip9:localhost4:porti4ee"
                + "ee";
        List<InetSocketAddress> peers = HttpTrackerCodec.parse(body.getBytes(StandardCharsets.US_ASCII)).peers();
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 2), new InetSocketAddress("::1", 3)), peers);
    }
}
