package io.kadtorrent.engine.mse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the MSE/PE handshake as a hostile peer drives it, both roles: what the peer sends
 * arrives in pieces of sizes the input chooses. Properties: only {@link MseException} escapes; the handshake
 * never holds more than {@link MseHandshake#MAX_INITIAL_PAYLOAD_BYTES} bytes; once done it says which cipher
 * was agreed, within the policy. Input: byte 0 picks the role (even: we accepted, odd: we dialled) and
 * policy; byte 1 the piece size; the rest is the peer's stream. Our key pair is made once for all inputs. Corpus: {@code MseHandshakeFuzzTestInputs/handshake}.
 */
class MseHandshakeFuzzTest {

    private static final InfoHash TORRENT = InfoHash.of(new byte[20]);
    private static final EncryptionPolicy[] POLICIES = {EncryptionPolicy.ENABLED, EncryptionPolicy.PREFER,
            EncryptionPolicy.REQUIRE};
    /** One key pair for every input: the peer's bytes are arbitrary anyway, and a pair costs a modPow. */
    private static final DhKeyPair KEY = DhKeyPair.generate(new SplittableRandom(1));

    @FuzzTest
    void handshake(byte[] input) {
        if (input.length < 2) {
            return;
        }
        EncryptionPolicy policy = POLICIES[((input[0] & 0xFF) >>> 1) % POLICIES.length];
        SplittableRandom random = new SplittableRandom(input[0]);
        MseHandshake h;
        if ((input[0] & 1) == 0) {
            SkeyIndex skeys = new SkeyIndex();
            skeys.add(TORRENT);
            h = MseHandshake.responder(skeys, policy, random, KEY);
        } else {
            h = MseHandshake.initiator(TORRENT, policy, random, KEY);
        }
        h.start();
        int piece = 1 + (input[1] & 0xFF) * 7;
        try {
            for (int at = 2; at < input.length && !h.isDone(); at += piece) {
                h.receive(ByteBuffer.wrap(input, at, Math.min(piece, input.length - at)));
                assertTrue(h.bufferedCapacityBytes() <= MseHandshake.MAX_INITIAL_PAYLOAD_BYTES,
                        "holds " + h.bufferedCapacityBytes() + " bytes");
            }
        } catch (MseException refused) {
            return;
        }
        if (h.isDone() && policy == EncryptionPolicy.REQUIRE) {
            assertTrue(h.result().isRc4(), "require agreed to plain text");
        }
    }
}
