package io.kadtorrent.torrent.bencode;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of {@link BencodeCodec} as the protocols use it (datagram limits). Properties:
 * only {@link InvalidBencodeException} escapes; what is accepted stays within the limits (no more items
 * than {@code maxItems}, no more string bytes than the input has); decoding what we encode gives the same
 * value back; every top-level span of a dictionary decodes to that key's value; a dictionary prefix
 * decodes exactly to the bytes it claims. Corpus: {@code BencodeFuzzTestInputs/decode}.
 */
class BencodeFuzzTest {

    private static final BencodeLimits LIMITS = BencodeLimits.DATAGRAM;

    @FuzzTest
    void decode(byte[] input) throws InvalidBencodeException {
        Object value;
        try {
            value = BencodeCodec.decode(input, LIMITS);
        } catch (InvalidBencodeException rejected) {
            checkPrefixRejectedOrConsistent(input);
            return;
        }
        long[] counts = new long[2]; // items, string bytes
        count(value, counts);
        assertTrue(counts[0] <= LIMITS.maxItems(), "items " + counts[0]);
        assertTrue(counts[1] <= input.length, "string bytes " + counts[1] + " from " + input.length);

        byte[] again = BencodeCodec.encode(value);
        assertTrue(BencodeValues.deepEquals(value, BencodeCodec.decode(again, LIMITS)), "round trip");

        if (value instanceof Map<?, ?> map) {
            BencodeCodec.Decoded d = BencodeCodec.decodeDictionary(input, LIMITS);
            assertEquals(map.keySet(), d.spans().keySet());
            for (Map.Entry<String, Span> e : d.spans().entrySet()) {
                byte[] part = Arrays.copyOfRange(input, e.getValue().start(), e.getValue().end());
                assertTrue(BencodeValues.deepEquals(map.get(e.getKey()), BencodeCodec.decode(part, LIMITS)),
                        "span of " + e.getKey());
            }
        }
        checkPrefixRejectedOrConsistent(input);
    }

    /** A dictionary prefix, when one is accepted, is exactly a well-formed dictionary of its own. */
    private static void checkPrefixRejectedOrConsistent(byte[] input) throws InvalidBencodeException {
        BencodeCodec.Prefix prefix;
        try {
            prefix = BencodeCodec.decodeDictionaryPrefix(input, LIMITS);
        } catch (InvalidBencodeException rejected) {
            return;
        }
        assertTrue(prefix.lengthBytes() > 0 && prefix.lengthBytes() <= input.length);
        Object alone = BencodeCodec.decode(Arrays.copyOf(input, prefix.lengthBytes()), LIMITS);
        assertTrue(BencodeValues.deepEquals(prefix.dict().asMap(), alone), "prefix");
    }

    private static void count(Object value, long[] counts) {
        counts[0]++;
        if (value instanceof byte[] b) {
            counts[1] += b.length;
        } else if (value instanceof List<?> list) {
            list.forEach(v -> count(v, counts));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> {
                counts[0]++;
                counts[1] += ((String) k).length();
                count(v, counts);
            });
        }
    }
}
