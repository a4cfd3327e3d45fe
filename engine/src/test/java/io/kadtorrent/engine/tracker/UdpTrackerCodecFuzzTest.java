package io.kadtorrent.engine.tracker;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the BEP 15 datagrams a UDP tracker answers with ({@link UdpTrackerCodec}'s
 * connect and announce answers, and error datagrams). Properties: only {@link TrackerException} escapes, and
 * an error's message is short and has no control characters; an announce answer gives no more peers than
 * its datagram holds, each with a port in 1..65535, an interval
 * within [0, one week] and counts >= -1; reading a datagram leaves the buffer's position alone.
 * Input: one byte choosing (mod 3) connect / IPv4 announce / IPv6 announce, the transaction id we expect (4 bytes),
 * then the datagram. Corpus: {@code UdpTrackerCodecFuzzTestInputs/answer}.
 */
class UdpTrackerCodecFuzzTest {

    @FuzzTest
    void answer(byte[] input) throws TrackerException {
        if (input.length < 5) {
            return;
        }
        int kind = (input[0] & 0xFF) % 3;
        int transactionId = ByteBuffer.wrap(input, 1, 4).getInt();
        byte[] datagram = Arrays.copyOfRange(input, 5, input.length);
        if (datagram.length > UdpTrackerCodec.MAX_DATAGRAM) {
            return; // the socket reads no more
        }
        ByteBuffer answer = ByteBuffer.wrap(datagram);
        try {
            if (kind == 0) {
                UdpTrackerCodec.connectionId(answer, transactionId);
            } else {
                int addressBytes = kind == 1 ? 4 : 16;
                AnnounceResponse r = UdpTrackerCodec.announceAnswer(answer, transactionId, addressBytes);
                assertTrue(r.peers().size() <= (datagram.length - 20) / (addressBytes + 2), "peers " + r.peers().size());
                for (InetSocketAddress p : r.peers()) {
                    assertTrue(p.getPort() >= 1 && p.getPort() <= 0xFFFF);
                }
                assertTrue(r.intervalSeconds() >= 0 && r.intervalSeconds() <= 7 * 24 * 3600);
                assertTrue(r.seeders() >= -1 && r.leechers() >= -1);
            }
        } catch (TrackerException e) {
            assertTrue(e.getMessage().length() <= 300, "message of " + e.getMessage().length());
            assertTrue(e.getMessage().chars().noneMatch(Character::isISOControl), "control characters");
        }
        assertEquals(0, answer.position());
    }
}
