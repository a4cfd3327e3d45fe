package io.kadtorrent.engine.ext;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 11 messages are hostile input: a clean refusal or at most {@link PexMessage#MAX_PEERS} addresses. */
class PexMessageProperties {

    @Property(tries = 500)
    void randomPayloadsAreRefusedOrBounded(@ForAll byte[] payload) {
        try {
            PexMessage m = PexMessage.decode(payload);
            assertTrue(m.added().size() <= PexMessage.MAX_PEERS && m.dropped().size() <= PexMessage.MAX_PEERS);
        } catch (ExtensionProtocolException expected) {
            // refused cleanly
        }
    }

    @Property(tries = 100)
    void mutatedMessagesAreRefusedOrBounded(@ForAll @IntRange(min = 0, max = 120) int peers, @ForAll int position,
                                            @ForAll byte value) throws Exception {
        byte[] bytes = new PexMessage(addresses(peers), addresses(peers / 3)).encode();
        bytes[Math.floorMod(position, bytes.length)] = value;
        try {
            PexMessage m = PexMessage.decode(bytes);
            assertTrue(m.added().size() <= PexMessage.MAX_PEERS);
        } catch (ExtensionProtocolException expected) {
            // refused cleanly
        }
    }

    @Property(tries = 50)
    void roundTripsUpToTheCap(@ForAll @IntRange(min = 0, max = 120) int peers) throws Exception {
        List<InetSocketAddress> added = addresses(peers);
        PexMessage back = PexMessage.decode(new PexMessage(added, List.of()).encode());
        assertEquals(added.subList(0, Math.min(peers, PexMessage.MAX_PEERS)), back.added());
    }

    private static List<InetSocketAddress> addresses(int n) throws Exception {
        List<InetSocketAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 1, (byte) (i >> 8), (byte) i}),
                    1000 + i));
        }
        return out;
    }
}
