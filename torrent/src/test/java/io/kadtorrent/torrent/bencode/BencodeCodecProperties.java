package io.kadtorrent.torrent.bencode;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BencodeCodecProperties {

    private static final BencodeLimits GENEROUS = BencodeLimits.of(1 << 24, 64, 1_000_000);

    @Property(tries = 300)
    void decodeOfEncodeGivesTheSameValue(@ForAll("values") Object value) throws Exception {
        byte[] encoded = BencodeCodec.encode(value);
        assertEquals(comparable(value), comparable(BencodeCodec.decode(encoded, GENEROUS)));
    }

    @Property(tries = 300)
    void encodingIsCanonicalSoReencodingGivesTheSameBytes(@ForAll("values") Object value) throws Exception {
        byte[] encoded = BencodeCodec.encode(value);
        assertArrayEquals(encoded, BencodeCodec.encode(BencodeCodec.decode(encoded, GENEROUS)));
    }

    @Property(tries = 200)
    void spansOfTopLevelValuesCoverTheirEncodings(@ForAll("dicts") Map<String, Object> dict) throws Exception {
        byte[] encoded = BencodeCodec.encode(dict);
        BencodeCodec.Decoded decoded = BencodeCodec.decodeDictionary(encoded, GENEROUS);
        assertEquals(dict.keySet(), decoded.spans().keySet());
        decoded.spans().forEach((key, span) -> assertArrayEquals(BencodeCodec.encode(dict.get(key)),
                java.util.Arrays.copyOfRange(encoded, span.start(), span.end())));
    }

    @Provide
    Arbitrary<Object> values() {
        return Arbitraries.recursive(BencodeCodecProperties::leaf, BencodeCodecProperties::container, 0, 4);
    }

    @Provide
    Arbitrary<Map<String, Object>> dicts() {
        return Arbitraries.maps(keys(), values()).ofMaxSize(6);
    }

    private static Arbitrary<Object> leaf() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> (Object) b),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L).map(l -> (Object) l));
    }

    private static Arbitrary<Object> container(Arbitrary<Object> inner) {
        return Arbitraries.oneOf(
                inner.list().ofMaxSize(5).map(l -> (Object) l),
                Arbitraries.maps(keys(), inner).ofMaxSize(5).map(m -> (Object) m));
    }

    /** Keys are byte strings read as ISO-8859-1: any char 0..255. */
    private static Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(8);
    }

    /** byte[] compares by reference; turn values into something equals() understands. */
    static Object comparable(Object v) {
        if (v instanceof byte[] b) {
            return "bytes:" + HexFormat.of().formatHex(b);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(comparable(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new TreeMap<>();
            m.forEach((k, x) -> out.put(k, comparable(x)));
            return out;
        }
        return v;
    }
}
