package io.kadtorrent.engine.ext;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExtensionCodecProperties {

    private static InetAddress address(byte[] compact) {
        try {
            return InetAddress.getByAddress(compact);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 300)
    void handshakeRoundTrips(@ForAll("handshakes") ExtensionHandshake handshake) throws Exception {
        assertEquals(Optional.of(handshake),
                ExtensionCodec.decode(ExtensionCodec.HANDSHAKE_ID, ExtensionCodec.encode(handshake)));
    }

    @Property(tries = 300)
    void metadataMessagesRoundTrip(@ForAll("metadataMessages") MetadataMessage message) throws Exception {
        assertEquals(Optional.of(message),
                ExtensionCodec.decode(ExtensionCodec.UT_METADATA_ID, ExtensionCodec.encode(message)));
    }

    @Property(tries = 500)
    void mutatedMetadataMessagesDecodeOrFailCleanly(@ForAll("metadataMessages") MetadataMessage message,
                                                    @ForAll long seed) {
        byte[] mutated = mutate(ExtensionCodec.encode(message), new Random(seed));
        decodeOrFailCleanly(ExtensionCodec.UT_METADATA_ID, mutated);
    }

    @Property(tries = 500)
    void mutatedHandshakesDecodeOrFailCleanly(@ForAll("handshakes") ExtensionHandshake handshake,
                                              @ForAll long seed) {
        byte[] mutated = mutate(ExtensionCodec.encode(handshake), new Random(seed));
        decodeOrFailCleanly(ExtensionCodec.HANDSHAKE_ID, mutated);
    }

    @Property(tries = 500)
    void randomBytesDecodeOrFailCleanly(@ForAll @Size(max = 300) byte[] payload,
                                        @ForAll @IntRange(min = 0, max = 5) int extendedId) {
        decodeOrFailCleanly(extendedId, payload);
    }

    /** Only a decoded message or an ExtensionProtocolException may come out. */
    private static void decodeOrFailCleanly(int extendedId, byte[] payload) {
        try {
            ExtensionCodec.decode(extendedId, payload);
        } catch (ExtensionProtocolException expected) {
            // a clean, reportable refusal
        }
    }

    /** One to three random edits: flip a byte, truncate, or insert a byte. */
    private static byte[] mutate(byte[] in, Random random) {
        byte[] out = in;
        for (int edits = 1 + random.nextInt(3); edits > 0 && out.length > 0; edits--) {
            int at = random.nextInt(out.length);
            switch (random.nextInt(3)) {
                case 0 -> out[at] = (byte) random.nextInt(256);
                case 1 -> out = Arrays.copyOf(out, at);
                default -> {
                    byte[] longer = new byte[out.length + 1];
                    System.arraycopy(out, 0, longer, 0, at);
                    longer[at] = (byte) "0123456789ilde:-".charAt(random.nextInt(16));
                    System.arraycopy(out, at, longer, at + 1, out.length - at);
                    out = longer;
                }
            }
        }
        return out;
    }

    @Provide
    Arbitrary<ExtensionHandshake> handshakes() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('_').ofMinLength(1).ofMaxLength(16);
        return Combinators.combine(
                Arbitraries.maps(names, Arbitraries.integers().between(1, 255)).ofMaxSize(6),
                Arbitraries.strings().ascii().ofMaxLength(64).optional(),
                optionalInt(1, 65_535),
                optionalInt(1, MetadataLayout.MAX_TOTAL_BYTES),
                optionalInt(1, 10_000),
                Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofSize(4),
                        Arbitraries.bytes().array(byte[].class).ofSize(16)).map(ExtensionCodecProperties::address)
                        .optional(),
                Arbitraries.of(true, false)
        ).as(ExtensionHandshake::new);
    }

    @Provide
    Arbitrary<MetadataMessage> metadataMessages() {
        Arbitrary<Integer> index = Arbitraries.integers().between(0, 511);
        Arbitrary<MetadataMessage> data = Arbitraries.integers().between(1, 2 * MetadataLayout.PIECE_BYTES + 100)
                .flatMap(total -> Arbitraries.integers().between(0, new MetadataLayout(total).pieceCount() - 1)
                        .flatMap(piece -> Arbitraries.bytes()
                                .array(byte[].class)
                                .ofSize(new MetadataLayout(total).pieceLengthBytes(piece))
                                .map(bytes -> new MetadataMessage.Data(piece, total, bytes))));
        return Arbitraries.oneOf(
                index.map(MetadataMessage.Request::new),
                index.map(MetadataMessage.Reject::new),
                data);
    }

    private static Arbitrary<OptionalInt> optionalInt(int min, int max) {
        return Arbitraries.integers().between(min, max).optional()
                .map(o -> o.map(OptionalInt::of).orElse(OptionalInt.empty()));
    }
}
