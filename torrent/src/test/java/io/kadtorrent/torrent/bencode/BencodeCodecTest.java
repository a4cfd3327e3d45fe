package io.kadtorrent.torrent.bencode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BencodeCodecTest {

    private static Object decode(String s) throws InvalidBencodeException {
        return BencodeCodec.decode(s.getBytes(ISO_8859_1), BencodeLimits.TORRENT_FILE);
    }

    private static String rejection(String s, BencodeLimits limits) {
        return assertThrows(InvalidBencodeException.class,
                () -> BencodeCodec.decode(s.getBytes(ISO_8859_1), limits)).getMessage();
    }

    @Test
    void decodesEachTypeIntoTheValueModel() throws Exception {
        assertEquals(42L, decode("i42e"));
        assertEquals(-7L, decode("i-7e"));
        assertArrayEquals("spam".getBytes(ISO_8859_1), (byte[]) decode("4:spam"));
        assertEquals(List.of(1L, 2L), decode("li1ei2ee"));
        Map<?, ?> map = (Map<?, ?>) decode("d3:cow3:moo4:spami3ee");
        assertArrayEquals("moo".getBytes(ISO_8859_1), (byte[]) map.get("cow"));
        assertEquals(3L, map.get("spam"));
    }

    @Test
    void byteStringsStayBinarySafe() throws Exception {
        byte[] raw = {0, (byte) 0xff, (byte) 0x80, 10, 58};
        byte[] encoded = BencodeCodec.encode(Map.of("k\u00ff", raw));
        Map<?, ?> decoded = (Map<?, ?>) BencodeCodec.decode(encoded, BencodeLimits.TORRENT_FILE);
        assertArrayEquals(raw, (byte[]) decoded.get("k\u00ff"));
    }

    @Test
    void encodesDictionaryKeysInByteOrder() {
        byte[] out = BencodeCodec.encode(Map.of("b", 1L, "a", 2L, "\u00e9", 3L, "Z", 4L));
        assertEquals("d1:Zi4e1:ai2e1:bi1e1:\u00e9i3ee", new String(out, ISO_8859_1));
    }

    @Test
    void keepsLongExtremes() throws Exception {
        assertEquals(Long.MAX_VALUE, decode("i9223372036854775807e"));
        assertEquals(Long.MIN_VALUE, decode("i-9223372036854775808e"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"i9223372036854775808e", "i-9223372036854775809e", "i99999999999999999999e"})
    void rejectsIntegersBeyond64Bits(String input) {
        assertTrue(rejection(input, BencodeLimits.TORRENT_FILE).contains("integer"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"i03e", "i-0e", "i00e", "03:abc", "ie", "i-e", "i1", "i1.5e", "i+1e"})
    void rejectsMalformedNumbers(String input) {
        rejection(input, BencodeLimits.TORRENT_FILE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "l", "d", "5:abc", "d3:keye", "di1ei2ee", "x", "li1e", ":", "-1:a",
            "d1:ai1e1:ai2ee", "4294967297:a"})
    void rejectsMalformedStructure(String input) {
        rejection(input, BencodeLimits.TORRENT_FILE);
    }

    @Test
    void rejectsTrailingData() {
        assertTrue(rejection("i1eX", BencodeLimits.TORRENT_FILE).contains("trailing"));
        assertTrue(rejection("de de", BencodeLimits.TORRENT_FILE).contains("trailing"));
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() throws Exception {
        BencodeLimits limits = BencodeLimits.of(1 << 20, 10, 1000);
        assertEquals(List.of(), unwrap(BencodeCodec.decode(("l".repeat(10) + "e".repeat(10)).getBytes(ISO_8859_1), limits), 9));
        assertTrue(rejection("l".repeat(11) + "e".repeat(11), limits).contains("nesting"));
        // Deep enough to blow the stack of a naive recursive decoder: refused, not crashed.
        String deep = "l".repeat(200_000) + "e".repeat(200_000);
        assertTrue(rejection(deep, BencodeLimits.TORRENT_FILE).contains("nesting"));
    }

    @Test
    void rejectsInputLargerThanTheLimit() {
        BencodeLimits limits = BencodeLimits.of(10, 10, 10);
        assertTrue(rejection("10:0123456789", limits).contains("exceeds"));
    }

    @Test
    void rejectsMoreItemsThanTheLimit() {
        BencodeLimits limits = BencodeLimits.of(1 << 20, 10, 5);
        rejection("li1ei2ei3ei4ee", BencodeLimits.of(1 << 20, 10, 4));
        assertTrue(rejection("li1ei2ei3ei4ei5ee", limits).contains("values"));
    }

    @Test
    void rejectsStringLengthsPointingPastTheEnd() {
        assertTrue(rejection("999999999999:a", BencodeLimits.TORRENT_FILE).contains("beyond"));
    }

    @Test
    void decodeDictionaryRequiresADictionary() {
        assertThrows(InvalidBencodeException.class,
                () -> BencodeCodec.decodeDictionary("li1ee".getBytes(ISO_8859_1), BencodeLimits.TORRENT_FILE));
    }

    @Test
    void rawBencodeIsWrittenVerbatimEvenWhenNotCanonical() throws Exception {
        byte[] nonCanonical = "d1:bi1e1:ai2ee".getBytes(ISO_8859_1);
        byte[] out = BencodeCodec.encode(Map.of("x", RawBencode.of(nonCanonical), "a", 1L));
        assertEquals("d1:ai1e1:xd1:bi1e1:ai2eee", new String(out, ISO_8859_1));
        BencodeCodec.Decoded decoded = BencodeCodec.decodeDictionary(out, BencodeLimits.TORRENT_FILE);
        Span span = decoded.spans().get("x");
        assertEquals("d1:bi1e1:ai2ee", new String(out, span.start(), span.length(), ISO_8859_1));
    }

    @Test
    void dictViewNamesTheFieldPathOfWrongTypes() throws Exception {
        BencodeCodec.Decoded d = BencodeCodec.decodeDictionary(
                "d4:infod12:piece length3:abcee".getBytes(ISO_8859_1), BencodeLimits.TORRENT_FILE);
        BencodeFieldException e = assertThrows(BencodeFieldException.class,
                () -> d.dict().dict("info").integer("piece length"));
        assertEquals("info.piece length must be an integer", e.getMessage());
        assertEquals("info.name is missing",
                assertThrows(BencodeFieldException.class, () -> d.dict().dict("info").bytes("name")).getMessage());
    }

    private static Object unwrap(Object v, int levels) {
        for (int i = 0; i < levels; i++) {
            v = ((List<?>) v).get(0);
        }
        return v;
    }
}
