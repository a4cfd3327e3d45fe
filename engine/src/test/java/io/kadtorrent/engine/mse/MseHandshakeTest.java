package io.kadtorrent.engine.mse;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;

import static io.kadtorrent.engine.mse.EncryptionPolicy.ENABLED;
import static io.kadtorrent.engine.mse.EncryptionPolicy.PREFER;
import static io.kadtorrent.engine.mse.EncryptionPolicy.REQUIRE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MseHandshakeTest {

    static final InfoHash TORRENT = InfoHash.of(HexFormat.of().parseHex("0123456789abcdef0123456789abcdef01234567"));
    static final InfoHash OTHER = InfoHash.of(new byte[20]);

    static SkeyIndex serving(InfoHash... hashes) {
        SkeyIndex index = new SkeyIndex();
        Arrays.stream(hashes).forEach(index::add);
        return index;
    }

    /** Both sides exchange everything they send until both are done; the first MseException propagates. */
    static void run(MseHandshake a, MseHandshake b) {
        ByteBuffer toB = ByteBuffer.wrap(a.start());
        ByteBuffer toA = ByteBuffer.wrap(b.start());
        for (int round = 0; round < 10 && !(a.isDone() && b.isDone()); round++) {
            if (!b.isDone()) {
                toA = join(toA, b.receive(toB));
            }
            if (!a.isDone()) {
                toB = join(toB, a.receive(toA));
            }
        }
        assertTrue(a.isDone() && b.isDone(), "both done: " + a + " " + b);
    }

    private static ByteBuffer join(ByteBuffer rest, byte[] more) {
        ByteBuffer out = ByteBuffer.allocate(rest.remaining() + more.length);
        out.put(rest).put(more).flip();
        return out;
    }

    static MseHandshake dialer(EncryptionPolicy p, long seed) {
        return MseHandshake.initiator(TORRENT, p, new SplittableRandom(seed));
    }

    static MseHandshake listener(EncryptionPolicy p, long seed) {
        return MseHandshake.responder(serving(OTHER, TORRENT), p, new SplittableRandom(seed));
    }

    @Test
    void everyPolicyPairThatSpeaksMseAgreesOnTheMethodTheTableSays() {
        EncryptionPolicy[] mse = {ENABLED, PREFER, REQUIRE};
        for (EncryptionPolicy d : mse) {
            for (EncryptionPolicy l : mse) {
                MseHandshake a = dialer(d, 1);
                MseHandshake b = listener(l, 2);
                run(a, b);
                // the dialler offers plain + RC4 unless it requires RC4; the listener picks by its own policy
                boolean expectRc4 = d == REQUIRE || l != ENABLED;
                assertEquals(expectRc4, a.result().isRc4(), d + " -> " + l);
                assertEquals(expectRc4, b.result().isRc4(), d + " -> " + l);
                assertEquals(TORRENT, b.result().infoHash());
                assertEquals(TORRENT, a.result().infoHash());
            }
        }
    }

    @Test
    void rc4StreamsMatchAcrossTheConnectionInBothDirections() {
        MseHandshake a = dialer(REQUIRE, 3);
        MseHandshake b = listener(PREFER, 4);
        run(a, b);
        byte[] msg = "\u0013BitTorrent protocol".getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = msg.clone();
        a.result().encryptor().orElseThrow().apply(wire, 0, wire.length);
        assertTrue(!Arrays.equals(wire, msg));
        b.result().decryptor().orElseThrow().apply(wire, 0, wire.length);
        assertArrayEquals(msg, wire);
        byte[] back = msg.clone();
        b.result().encryptor().orElseThrow().apply(back, 0, back.length);
        a.result().decryptor().orElseThrow().apply(back, 0, back.length);
        assertArrayEquals(msg, back);
    }

    @Test
    void bytesAfterTheHandshakeComeBackDecryptedAsPayload() {
        MseHandshake a = dialer(REQUIRE, 5);
        MseHandshake b = listener(REQUIRE, 6);
        byte[] ya = a.start();
        byte[] yb = b.receive(ByteBuffer.wrap(ya));
        byte[] m3 = a.receive(ByteBuffer.wrap(yb));
        byte[] m4 = b.receive(ByteBuffer.wrap(m3));
        assertTrue(b.isDone());
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] sent = hello.clone();
        b.result().encryptor().orElseThrow().apply(sent, 0, sent.length);
        ByteBuffer in = ByteBuffer.allocate(m4.length + sent.length + 3);
        in.put(m4).put(sent).put(new byte[]{1, 2, 3}).flip();
        a.receive(in);
        assertTrue(a.isDone());
        byte[] seen = new byte[a.result().payload().length + in.remaining()];
        System.arraycopy(a.result().payload(), 0, seen, 0, a.result().payload().length);
        in.get(seen, a.result().payload().length, in.remaining());
        a.result().decryptor().orElseThrow().apply(seen, a.result().payload().length,
                seen.length - a.result().payload().length);
        assertArrayEquals(hello, Arrays.copyOf(seen, hello.length));
    }

    @Test
    void responderRefusesAnInfoHashItDoesNotServe() {
        MseHandshake a = dialer(PREFER, 7);
        MseHandshake b = MseHandshake.responder(serving(OTHER), PREFER, new SplittableRandom(8));
        MseException e = assertThrows(MseException.class, () -> run(a, b));
        assertTrue(e.getMessage().contains("do not serve"), e.getMessage());
    }

    @Test
    void requiringListenerRefusesADiallerThatOffersOnlyPlainText() {
        // an ENABLED listener picks plain text when offered; a REQUIRE one needs RC4 offered
        assertEquals(0, REQUIRE.cryptoSelect(EncryptionPolicy.CRYPTO_PLAINTEXT));
        assertEquals(EncryptionPolicy.CRYPTO_PLAINTEXT, ENABLED.cryptoSelect(EncryptionPolicy.CRYPTO_PLAINTEXT));
        assertEquals(EncryptionPolicy.CRYPTO_RC4, PREFER.cryptoSelect(3));
        assertEquals(0, PREFER.cryptoSelect(0x04));
    }

    @Test
    void plainTextBitTorrentHandshakeIsNotMistakenForMse() {
        MseHandshake b = listener(PREFER, 9);
        byte[] plain = new byte[68 + 600];
        plain[0] = 19;
        System.arraycopy("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII), 0, plain, 1, 19);
        MseException e = assertThrows(MseException.class, () -> b.receive(ByteBuffer.wrap(plain)));
        assertTrue(e.getMessage().contains("req1"), e.getMessage());
        assertThrows(MseException.class, () -> b.receive(ByteBuffer.allocate(1)), "stays failed");
    }

    @Test
    void degeneratePublicKeysAreRefused() {
        for (byte[] y : new byte[][]{new byte[96], DhKeyPair.P.subtract(java.math.BigInteger.ONE).toByteArray()}) {
            byte[] key = Arrays.copyOfRange(y, y.length - 96, y.length);
            MseHandshake b = listener(PREFER, 10);
            assertThrows(MseException.class, () -> b.receive(ByteBuffer.wrap(key)));
        }
    }

    @ParameterizedTest
    @EnumSource(value = EncryptionPolicy.class, names = "DISABLED")
    void disabledPolicyNeverBuildsAHandshake(EncryptionPolicy p) {
        assertThrows(IllegalArgumentException.class, () -> dialer(p, 1));
    }

    @Test
    void policiesParseTheirLabels() {
        for (EncryptionPolicy p : EncryptionPolicy.values()) {
            assertEquals(p, EncryptionPolicy.parse(p.label().toUpperCase()));
        }
        assertThrows(IllegalArgumentException.class, () -> EncryptionPolicy.parse("maybe"));
    }

    @Test
    void primeIsThe768BitPrimeOfTheSpecAndYaLeadsTheFirstMessage() {
        assertEquals(768, DhKeyPair.P.bitLength());
        assertTrue(DhKeyPair.P.isProbablePrime(40));
        int first = dialer(PREFER, 11).start().length;
        assertTrue(first >= 96 && first <= 96 + 512, "Ya + PadA: " + first);
    }
}
