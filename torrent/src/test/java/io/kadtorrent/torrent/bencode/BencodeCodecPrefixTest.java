package io.kadtorrent.torrent.bencode;

import org.junit.jupiter.api.Test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BencodeCodecPrefixTest {

    @Test
    void decodesDictionaryFollowedByRawBytes() throws Exception {
        // BEP 9 data message: d8:msg_typei1e5:piecei0e10:total_sizei3ee + "xyz"
        byte[] in = "d8:msg_typei1e5:piecei0e10:total_sizei3eexyz".getBytes(ISO_8859_1);
        BencodeCodec.Prefix prefix = BencodeCodec.decodeDictionaryPrefix(in, BencodeLimits.DATAGRAM);
        assertEquals(in.length - 3, prefix.lengthBytes());
        assertEquals(1L, prefix.dict().integer("msg_type"));
        assertEquals(3L, prefix.dict().integer("total_size"));
    }

    @Test
    void acceptsDictionaryWithNothingAfterIt() throws Exception {
        byte[] in = "d1:ai1ee".getBytes(ISO_8859_1);
        BencodeCodec.Prefix prefix = BencodeCodec.decodeDictionaryPrefix(in, BencodeLimits.DATAGRAM);
        assertEquals(in.length, prefix.lengthBytes());
        assertArrayEquals(new byte[0], java.util.Arrays.copyOfRange(in, prefix.lengthBytes(), in.length));
    }

    @Test
    void rejectsTruncatedOrNonDictionaryPrefix() {
        assertThrows(InvalidBencodeException.class, () -> BencodeCodec.decodeDictionaryPrefix(
                "d1:ai1e".getBytes(ISO_8859_1), BencodeLimits.DATAGRAM));
        assertThrows(InvalidBencodeException.class, () -> BencodeCodec.decodeDictionaryPrefix(
                "li1ee".getBytes(ISO_8859_1), BencodeLimits.DATAGRAM));
        assertThrows(InvalidBencodeException.class, () -> BencodeCodec.decodeDictionaryPrefix(
                new byte[0], BencodeLimits.DATAGRAM));
    }

    @Test
    void appliesLimitsToTheDictionaryOnly() {
        byte[] in = "d1:a5:helloexxxxxxxxxxxxxxxxxxxxxxxx".getBytes(ISO_8859_1);
        assertThrows(InvalidBencodeException.class, () -> BencodeCodec.decodeDictionaryPrefix(
                in, BencodeLimits.of(8, 4, 10)));
    }
}
