package io.kadtorrent.torrent.bencode;

import com.dampcake.bencode.Bencode;
import com.dampcake.bencode.BencodeException;
import com.dampcake.bencode.Type;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The one class that touches the bencode library (dampcake). Decoding first proves the input is
 * well-formed and within {@link BencodeLimits} (so hostile input cannot exhaust memory or the
 * stack), then lets the library build the values.
 *
 * <p>Decoded values: byte strings are {@code byte[]}, integers {@code Long}, lists
 * {@code List<Object>}, dictionaries {@code Map<String, Object>} with ISO-8859-1 keys (one char
 * per byte, so keys stay binary-safe and sort in byte order). For encoding, {@code String}
 * values are written as UTF-8, {@code Integer}/{@code Long} as integers and {@link RawBencode}
 * (top level of a dictionary only) verbatim. Thread-safe.
 */
public final class BencodeCodec {

    // ISO-8859-1 maps every byte to one char: dictionary keys survive any bytes, and the
    // library's TreeMap ordering of such keys is the byte order BEP 3 requires.
    private static final Bencode BENCODE = new Bencode(ISO_8859_1, true);

    private BencodeCodec() {
    }

    /** A decoded top-level dictionary plus the byte spans of its values in the input. */
    public record Decoded(BencodeDict dict, Map<String, Span> spans) {
        public Decoded {
            spans = Map.copyOf(spans);
        }
    }

    /** Decodes one value of any type. */
    public static Object decode(byte[] in, BencodeLimits limits) throws InvalidBencodeException {
        BencodeScanner.scan(in, limits);
        if (in[0] >= '0' && in[0] <= '9') {
            return stringContent(in);
        }
        try {
            return normalize(switch (in[0]) {
                case 'd' -> BENCODE.decode(in, Type.DICTIONARY);
                case 'l' -> BENCODE.decode(in, Type.LIST);
                default -> BENCODE.decode(in, Type.NUMBER);
            });
        } catch (BencodeException e) {
            throw new InvalidBencodeException("bencode library rejected input: " + e.getMessage(), 0);
        }
    }

    /** Decodes a top-level dictionary and reports where each of its values lies in {@code in}. */
    public static Decoded decodeDictionary(byte[] in, BencodeLimits limits) throws InvalidBencodeException {
        if (in.length == 0 || in[0] != 'd') {
            throw new InvalidBencodeException("expected a dictionary", 0);
        }
        Map<String, Span> spans = BencodeScanner.scan(in, limits);
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = (Map<String, Object>) normalize(BENCODE.decode(in, Type.DICTIONARY));
            return new Decoded(new BencodeDict(map, ""), spans);
        } catch (BencodeException e) {
            throw new InvalidBencodeException("bencode library rejected input: " + e.getMessage(), 0);
        }
    }

    /** A dictionary at the start of an input that continues with other bytes, and its encoded length. */
    public record Prefix(BencodeDict dict, int lengthBytes) {
    }

    /**
     * Decodes the dictionary at the start of {@code in}, ignoring the bytes after it (BEP 9
     * ut_metadata data messages are a bencoded dictionary followed by raw metadata bytes).
     * {@code limits} apply to the dictionary alone.
     */
    public static Prefix decodeDictionaryPrefix(byte[] in, BencodeLimits limits) throws InvalidBencodeException {
        if (in.length == 0 || in[0] != 'd') {
            throw new InvalidBencodeException("expected a dictionary", 0);
        }
        int length = BencodeScanner.prefixLength(in, limits);
        byte[] dict = length == in.length ? in : Arrays.copyOf(in, length);
        return new Prefix(decodeDictionary(dict, limits).dict(), length);
    }

    /** Encodes a value; dictionaries are written with keys in byte order, as BEP 3 requires. */
    public static byte[] encode(Object value) {
        if (value instanceof Map<?, ?> map && map.values().stream().anyMatch(v -> v instanceof RawBencode)) {
            return encodeWithRaw(map);
        }
        Object prepared = prepare(value);
        if (prepared instanceof Map<?, ?> m) {
            return BENCODE.encode(m);
        }
        if (prepared instanceof List<?> l) {
            return BENCODE.encode(l);
        }
        if (prepared instanceof Long n) {
            return BENCODE.encode(n);
        }
        byte[] b = (byte[]) prepared;
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 12);
        out.writeBytes(Integer.toString(b.length).getBytes(ISO_8859_1));
        out.write(':');
        out.writeBytes(b);
        return out.toByteArray();
    }

    /** A dictionary some of whose top-level values are pre-encoded: written key by key. */
    private static byte[] encodeWithRaw(Map<?, ?> map) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('d');
        for (Map.Entry<String, Object> e : sortedCopy(map).entrySet()) {
            out.writeBytes(encode(e.getKey().getBytes(ISO_8859_1)));
            out.writeBytes(e.getValue() instanceof RawBencode raw ? raw.unsafeBytes() : encode(e.getValue()));
        }
        out.write('e');
        return out.toByteArray();
    }

    private static TreeMap<String, Object> sortedCopy(Map<?, ?> map) {
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("dictionary keys must be strings: " + e.getKey());
            }
            sorted.put(key, e.getValue());
        }
        return sorted;
    }

    /** Turns our value model into the library's: strings to UTF-8 bytes, ints to longs. */
    private static Object prepare(Object value) {
        if (value instanceof byte[] || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer i) {
            return i.longValue();
        }
        if (value instanceof String s) {
            return s.getBytes(UTF_8);
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> out = new TreeMap<>();
            sortedCopy(map).forEach((k, v) -> out.put(k, prepare(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(prepare(v)));
            return out;
        }
        if (value instanceof RawBencode) {
            throw new IllegalArgumentException("RawBencode is only supported as a top-level dictionary value");
        }
        throw new IllegalArgumentException("cannot bencode " + (value == null ? "null" : value.getClass()));
    }

    /** Turns the library's values into ours: ByteBuffer to byte[]. */
    private static Object normalize(Object value) {
        if (value instanceof ByteBuffer buf) {
            byte[] b = new byte[buf.remaining()];
            buf.duplicate().get(b);
            return b;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 2));
            map.forEach((k, v) -> out.put((String) k, normalize(v)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(normalize(v)));
            return out;
        }
        return value; // Long
    }

    private static byte[] stringContent(byte[] in) {
        int colon = 0;
        while (in[colon] != ':') {
            colon++;
        }
        byte[] out = new byte[in.length - colon - 1];
        System.arraycopy(in, colon + 1, out, 0, out.length);
        return out;
    }
}
