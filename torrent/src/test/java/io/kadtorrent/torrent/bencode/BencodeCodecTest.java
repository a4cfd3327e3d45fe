package io.kadtorrent.torrent.bencode;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BencodeCodecTest {

    @Test
    void encodesDictionaryKeysInByteOrder() {
        byte[] out = BencodeCodec.encode(Map.of("b", 1, "a", List.of("x", 2L)));
        assertEquals("d1:al1:xi2ee1:bi1ee", new String(out, US_ASCII));
    }

    @Test
    void rejectsNestingDeeperThanTheLimit() {
        byte[] deep = ("l".repeat(20) + "e".repeat(20)).getBytes(US_ASCII);
        assertThrows(InvalidBencodeException.class, () -> BencodeCodec.decode(deep, BencodeLimits.DATAGRAM));
    }

    @Test
    void reportsTopLevelSpans() throws Exception {
        byte[] in = "d4:infod1:xi1ee1:zi2ee".getBytes(US_ASCII);
        BencodeCodec.Decoded d = BencodeCodec.decodeDictionary(in, BencodeLimits.DATAGRAM);
        assertEquals(new Span(7, 15), d.spans().get("info"));
    }

    @Property(tries = 200)
    void byteStringsSurviveRoundTrip(@ForAll byte[] value) throws Exception {
        assertArrayEquals(value, (byte[]) BencodeCodec.decode(BencodeCodec.encode(value), BencodeLimits.DATAGRAM));
    }
}
