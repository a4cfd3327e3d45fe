package io.kadtorrent.engine.mse;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static io.kadtorrent.engine.mse.MseHandshakeTest.TORRENT;
import static io.kadtorrent.engine.mse.MseHandshakeTest.serving;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The MSE core against random pads (from the seeds), every way of splitting what arrives, and hostile
 * input: it either finishes, waits for more, or throws {@link MseException}, never anything else, and never
 * holds more than its bound.
 */
class MseHandshakeProperties {

    /** The most a handshake may hold: its scan window rounded up, or the largest initial payload we take. */
    private static final int BOUND_BYTES = MseHandshake.MAX_INITIAL_PAYLOAD_BYTES;

    /** What each side sent over a whole handshake, and the seeds that made it. */
    record Transcript(long initiatorSeed, long responderSeed, EncryptionPolicy initiatorPolicy,
                      EncryptionPolicy responderPolicy, byte[] fromInitiator, byte[] fromResponder) {
    }

    static Transcript record(long seedA, long seedB, EncryptionPolicy pa, EncryptionPolicy pb) {
        MseHandshake a = MseHandshake.initiator(TORRENT, pa, new SplittableRandom(seedA));
        MseHandshake b = MseHandshake.responder(serving(TORRENT), pb, new SplittableRandom(seedB));
        ByteArrayOutputStream fromA = new ByteArrayOutputStream();
        ByteArrayOutputStream fromB = new ByteArrayOutputStream();
        byte[] ya = a.start();
        fromA.writeBytes(ya);
        byte[] yb = b.receive(ByteBuffer.wrap(ya));
        fromB.writeBytes(yb);
        byte[] m3 = a.receive(ByteBuffer.wrap(yb));
        fromA.writeBytes(m3);
        byte[] m4 = b.receive(ByteBuffer.wrap(m3));
        fromB.writeBytes(m4);
        a.receive(ByteBuffer.wrap(m4));
        assertTrue(a.isDone() && b.isDone());
        return new Transcript(seedA, seedB, pa, pb, fromA.toByteArray(), fromB.toByteArray());
    }

    @Provide
    Arbitrary<EncryptionPolicy> msePolicies() {
        return Arbitraries.of(EncryptionPolicy.ENABLED, EncryptionPolicy.PREFER, EncryptionPolicy.REQUIRE);
    }

    @Property(tries = 40)
    void responderFinishesTheSameWhereverItsInputIsSplit(@ForAll long seedA, @ForAll long seedB,
                                                         @ForAll("msePolicies") EncryptionPolicy pa,
                                                         @ForAll("msePolicies") EncryptionPolicy pb) {
        Transcript t = record(seedA, seedB, pa, pb);
        byte[] in = t.fromInitiator();
        for (int k = 0; k <= in.length; k++) {
            MseHandshake b = MseHandshake.responder(serving(TORRENT), pb, new SplittableRandom(seedB));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(b.receive(ByteBuffer.wrap(in, 0, k)));
            if (!b.isDone()) { // a split at the very end leaves nothing for a second read
                out.writeBytes(b.receive(ByteBuffer.wrap(in, k, in.length - k)));
            }
            assertTrue(b.isDone(), "split at " + k);
            assertArrayEquals(t.fromResponder(), out.toByteArray(), "split at " + k);
            assertEquals(0, b.result().payload().length);
        }
    }

    @Property(tries = 40)
    void initiatorFinishesTheSameWhereverItsInputIsSplit(@ForAll long seedA, @ForAll long seedB,
                                                         @ForAll("msePolicies") EncryptionPolicy pa,
                                                         @ForAll("msePolicies") EncryptionPolicy pb) {
        Transcript t = record(seedA, seedB, pa, pb);
        byte[] in = t.fromResponder();
        for (int k = 0; k <= in.length; k++) {
            MseHandshake a = MseHandshake.initiator(TORRENT, pa, new SplittableRandom(seedA));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(a.start());
            out.writeBytes(a.receive(ByteBuffer.wrap(in, 0, k)));
            if (!a.isDone()) { // a split at the very end leaves nothing for a second read
                out.writeBytes(a.receive(ByteBuffer.wrap(in, k, in.length - k)));
            }
            assertTrue(a.isDone(), "split at " + k);
            assertArrayEquals(t.fromInitiator(), out.toByteArray(), "split at " + k);
        }
    }

    @Property(tries = 100)
    void byteAtATimeDeliveryFinishesAndLeavesTheRestUnread(@ForAll long seedA, @ForAll long seedB,
                                                           @ForAll @Size(max = 50) byte[] after) {
        Transcript t = record(seedA, seedB, EncryptionPolicy.PREFER, EncryptionPolicy.PREFER);
        MseHandshake a = MseHandshake.initiator(TORRENT, EncryptionPolicy.PREFER, new SplittableRandom(seedA));
        a.start();
        byte[] in = Arrays.copyOf(t.fromResponder(), t.fromResponder().length + after.length);
        System.arraycopy(after, 0, in, t.fromResponder().length, after.length);
        int i = 0;
        while (!a.isDone()) {
            a.receive(ByteBuffer.wrap(in, i++, 1));
        }
        assertEquals(t.fromResponder().length, i, "done on the handshake's last byte, not before or after");
        assertEquals(0, a.result().payload().length);
    }

    @Property(tries = 300)
    void garbageOnlyEverFailsWithMseException(@ForAll @Size(max = 3000) byte[] garbage,
                                              @ForAll @IntRange(min = 1, max = 700) int chunk,
                                              @ForAll boolean initiator, @ForAll long seed) {
        MseHandshake h = initiator
                ? MseHandshake.initiator(TORRENT, EncryptionPolicy.PREFER, new SplittableRandom(seed))
                : MseHandshake.responder(serving(TORRENT), EncryptionPolicy.PREFER, new SplittableRandom(seed));
        h.start();
        feedExpectingFailureOrWait(h, garbage, chunk);
    }

    @Property(tries = 200)
    void mutatedHandshakesOnlyEverFailWithMseException(@ForAll long seedA, @ForAll long seedB,
                                                       @ForAll boolean mutateInitiatorBytes, @ForAll long mutationSeed,
                                                       @ForAll @IntRange(min = 1, max = 6) int mutations,
                                                       @ForAll @IntRange(min = 1, max = 300) int chunk) {
        Transcript t = record(seedA, seedB, EncryptionPolicy.PREFER, EncryptionPolicy.REQUIRE);
        byte[] stream = (mutateInitiatorBytes ? t.fromInitiator() : t.fromResponder()).clone();
        Random r = new Random(mutationSeed);
        for (int i = 0; i < mutations; i++) {
            stream[r.nextInt(stream.length)] ^= (byte) (1 + r.nextInt(255));
        }
        MseHandshake h = mutateInitiatorBytes
                ? MseHandshake.responder(serving(TORRENT), EncryptionPolicy.REQUIRE, new SplittableRandom(seedB))
                : MseHandshake.initiator(TORRENT, EncryptionPolicy.PREFER, new SplittableRandom(seedA));
        h.start();
        feedExpectingFailureOrWait(h, stream, chunk);
    }

    @Property(tries = 100)
    void truncatedHandshakesWaitWithoutFailing(@ForAll long seedA, @ForAll long seedB, @ForAll("fraction") double cut) {
        Transcript t = record(seedA, seedB, EncryptionPolicy.REQUIRE, EncryptionPolicy.PREFER);
        byte[] in = t.fromInitiator();
        int k = (int) (cut * in.length);
        MseHandshake b = MseHandshake.responder(serving(TORRENT), EncryptionPolicy.PREFER, new SplittableRandom(seedB));
        b.receive(ByteBuffer.wrap(in, 0, Math.min(k, in.length - 1)));
        assertFalse(b.isDone());
        assertTrue(b.bufferedCapacityBytes() <= BOUND_BYTES);
    }

    @Provide
    Arbitrary<Double> fraction() {
        return Arbitraries.doubles().between(0, 1);
    }

    private static void feedExpectingFailureOrWait(MseHandshake h, byte[] bytes, int chunk) {
        try {
            for (int i = 0; i < bytes.length && !h.isDone(); i += chunk) {
                ByteBuffer in = ByteBuffer.wrap(bytes, i, Math.min(chunk, bytes.length - i));
                h.receive(in);
                assertTrue(h.bufferedCapacityBytes() <= BOUND_BYTES, "holds " + h.bufferedCapacityBytes());
            }
        } catch (MseException expected) {
            // a clean refusal
        }
    }
}
