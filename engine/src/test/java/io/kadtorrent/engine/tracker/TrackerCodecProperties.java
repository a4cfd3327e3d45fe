package io.kadtorrent.engine.tracker;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tracker answers are hostile input: random and mutated bytes give a clean error or a bounded answer. */
class TrackerCodecProperties {

    private static byte[] validAnswer(int peers) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("interval", 900L);
        a.put("min interval", 60L);
        byte[] compact = new byte[peers * 6];
        for (int i = 0; i < peers; i++) {
            compact[i * 6] = 127;
            compact[i * 6 + 3] = (byte) (i + 1);
            compact[i * 6 + 4] = 0x1A;
            compact[i * 6 + 5] = (byte) i;
        }
        a.put("peers", compact);
        a.put("complete", 3L);
        return BencodeCodec.encode(a);
    }

    @Property(tries = 300)
    void mutatedHttpAnswersGiveAnAnswerOrATrackerException(@ForAll @IntRange(min = 0, max = 50) int peers,
                                                           @ForAll("mutations") List<int[]> mutations) {
        byte[] answer = validAnswer(peers);
        for (int[] m : mutations) {
            if (answer.length > 0) {
                answer[Math.floorMod(m[0], answer.length)] = (byte) m[1];
            }
        }
        try {
            AnnounceResponse r = HttpTrackerCodec.parse(answer);
            assertTrue(r.peers().size() <= HttpTrackerCodec.MAX_PEERS);
        } catch (TrackerException expected) {
            // a clean refusal
        }
    }

    @Provide
    Arbitrary<List<int[]>> mutations() {
        return Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofSize(2).list().ofMaxSize(4);
    }

    @Property(tries = 300)
    void randomBytesAreRefusedCleanly(@ForAll byte[] junk) {
        try {
            HttpTrackerCodec.parse(junk);
        } catch (TrackerException expected) {
            // fine
        }
        try {
            UdpTrackerCodec.announceAnswer(ByteBuffer.wrap(junk), 7, 4);
        } catch (TrackerException expected) {
            // fine
        }
    }

    @Property(tries = 50)
    void aValidAnswerReadsBack(@ForAll @IntRange(min = 0, max = 200) int peers) throws Exception {
        AnnounceResponse r = HttpTrackerCodec.parse(validAnswer(peers));
        assertEquals(peers, r.peers().size());
        assertEquals(900, r.intervalSeconds());
        assertEquals(60, r.minIntervalSeconds());
        assertEquals(3, r.seeders());
    }

    @Property(tries = 20)
    void theAnnounceUrlCarriesRawBytesPercentEncoded(@ForAll byte[] seed) {
        byte[] hash = new byte[20];
        for (int i = 0; i < 20; i++) {
            hash[i] = (byte) (seed.length == 0 ? i * 13 : seed[i % seed.length] + i);
        }
        AnnounceRequest req = new AnnounceRequest(InfoHash.of(hash), new byte[20], 6881, 1, 2, 3,
                AnnounceRequest.Event.STARTED, 5, 50);
        URI u = HttpTrackerCodec.announceUri(URI.create("http://127.0.0.1:1/announce?passkey=x"), req);
        var q = LocalTracker.query(u.getRawQuery());
        assertTrue(java.util.Arrays.equals(hash, q.get("info_hash")));
        assertEquals("x", new String(q.get("passkey")));
        assertEquals("started", new String(q.get("event")));
    }

    @Property(tries = 20)
    void aFailureReasonIsATrackerException(@ForAll("reasons") String reason) {
        byte[] answer = BencodeCodec.encode(Map.of("failure reason", reason));
        try {
            HttpTrackerCodec.parse(answer);
            throw new AssertionError("accepted a failure");
        } catch (TrackerException e) {
            assertTrue(e.getMessage().startsWith("tracker refused"));
            assertTrue(e.getMessage().length() < 300);
        }
    }

    @Provide
    Arbitrary<String> reasons() {
        return Arbitraries.strings().ofMaxLength(2000);
    }

    @Property(tries = 10)
    void udpAnswersCarryTheirPeers(@ForAll @IntRange(min = 0, max = 100) int peers) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(20 + peers * 6).putInt(1).putInt(9).putInt(1800).putInt(4).putInt(5);
        for (int i = 0; i < peers; i++) {
            b.put(new byte[]{127, 0, 0, (byte) (i + 1)}).putShort((short) (1000 + i));
        }
        AnnounceResponse r = UdpTrackerCodec.announceAnswer(b.flip(), 9, 4);
        assertEquals(peers, r.peers().size());
        if (peers > 0) {
            assertEquals(new InetSocketAddress("127.0.0.1", 1000), r.peers().get(0));
        }
    }
}
