package io.kadtorrent.torrent.bencode;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * Walks encoded bytes once, without building values, to prove they are one well-formed bencoded
 * value within {@link BencodeLimits}, and records where each top-level dictionary value lies.
 * Only input that passes this scan is handed to the bencode library, so the library never sees
 * unbounded nesting, oversized lengths or trailing garbage.
 */
final class BencodeScanner {

    private static final int MAX_INTEGER_DIGITS = 19; // Long.MAX_VALUE has 19 digits

    private final byte[] in;
    private final BencodeLimits limits;
    private final Map<String, Span> topLevelSpans = new LinkedHashMap<>();
    private int pos;
    private int items;

    private BencodeScanner(byte[] in, BencodeLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /**
     * Validates {@code in} and returns the spans of the top-level dictionary's values by key
     * (empty when the top-level value is not a dictionary).
     */
    static Map<String, Span> scan(byte[] in, BencodeLimits limits) throws InvalidBencodeException {
        if (in.length > limits.maxBytes()) {
            throw new InvalidBencodeException(
                    "input of " + in.length + " bytes exceeds the limit of " + limits.maxBytes(), 0);
        }
        BencodeScanner scanner = new BencodeScanner(in, limits);
        scanner.value(0);
        if (scanner.pos != in.length) {
            throw new InvalidBencodeException("trailing data after the bencoded value", scanner.pos);
        }
        return scanner.topLevelSpans;
    }

    /**
     * Validates the one bencoded value at the start of {@code in} and returns its length in bytes;
     * whatever follows it is not examined (BEP 9 data messages append raw bytes to a dictionary).
     */
    static int prefixLength(byte[] in, BencodeLimits limits) throws InvalidBencodeException {
        BencodeScanner scanner = new BencodeScanner(in, limits);
        scanner.value(0);
        if (scanner.pos > limits.maxBytes()) {
            throw new InvalidBencodeException(
                    "value of " + scanner.pos + " bytes exceeds the limit of " + limits.maxBytes(), 0);
        }
        return scanner.pos;
    }

    private void value(int depth) throws InvalidBencodeException {
        if (++items > limits.maxItems()) {
            throw new InvalidBencodeException("more than " + limits.maxItems() + " values", pos);
        }
        int c = peek();
        switch (c) {
            case 'i' -> integer();
            case 'l' -> list(depth + 1);
            case 'd' -> dictionary(depth + 1);
            default -> {
                if (c >= '0' && c <= '9') {
                    string();
                } else {
                    throw new InvalidBencodeException("unexpected byte 0x" + Integer.toHexString(c), pos);
                }
            }
        }
    }

    private void integer() throws InvalidBencodeException {
        int start = pos;
        pos++; // 'i'
        boolean negative = peek() == '-';
        if (negative) {
            pos++;
        }
        int digitsStart = pos;
        while (peek() != 'e') {
            if (!isDigit(in[pos])) {
                throw new InvalidBencodeException("non-digit in integer", pos);
            }
            pos++;
        }
        int digits = pos - digitsStart;
        if (digits == 0 || digits > MAX_INTEGER_DIGITS) {
            throw new InvalidBencodeException("integer must have 1 to 19 digits", start);
        }
        if (in[digitsStart] == '0' && (digits > 1 || negative)) {
            throw new InvalidBencodeException("integer with a leading zero or -0", start);
        }
        if (digits == MAX_INTEGER_DIGITS) {
            try {
                Long.parseLong(new String(in, start + 1, pos - start - 1, ISO_8859_1));
            } catch (NumberFormatException e) {
                throw new InvalidBencodeException("integer out of 64-bit range", start);
            }
        }
        pos++; // 'e'
    }

    /** Scans a byte string and returns its content span. */
    private Span string() throws InvalidBencodeException {
        int start = pos;
        long length = 0;
        while (peek() != ':') {
            if (!isDigit(in[pos])) {
                throw new InvalidBencodeException("non-digit in string length", pos);
            }
            length = length * 10 + (in[pos] - '0');
            if (length > in.length) {
                throw new InvalidBencodeException("string length beyond the end of input", start);
            }
            pos++;
        }
        if (pos - start > 1 && in[start] == '0') {
            throw new InvalidBencodeException("string length with a leading zero", start);
        }
        pos++; // ':'
        if (length > in.length - pos) {
            throw new InvalidBencodeException("string length beyond the end of input", start);
        }
        Span content = new Span(pos, pos + (int) length);
        pos += (int) length;
        return content;
    }

    private void list(int depth) throws InvalidBencodeException {
        checkDepth(depth);
        pos++; // 'l'
        while (peek() != 'e') {
            value(depth);
        }
        pos++;
    }

    private void dictionary(int depth) throws InvalidBencodeException {
        checkDepth(depth);
        pos++; // 'd'
        Set<String> keys = new HashSet<>();
        while (peek() != 'e') {
            int c = peek();
            if (c < '0' || c > '9') {
                throw new InvalidBencodeException("dictionary key is not a byte string", pos);
            }
            int keyStart = pos;
            Span keySpan = string();
            String key = new String(in, keySpan.start(), keySpan.length(), ISO_8859_1);
            if (!keys.add(key)) {
                throw new InvalidBencodeException("duplicate dictionary key", keyStart);
            }
            int valueStart = pos;
            value(depth);
            if (depth == 1) {
                topLevelSpans.put(key, new Span(valueStart, pos));
            }
        }
        pos++;
    }

    private void checkDepth(int depth) throws InvalidBencodeException {
        if (depth > limits.maxDepth()) {
            throw new InvalidBencodeException("nesting deeper than " + limits.maxDepth(), pos);
        }
    }

    private int peek() throws InvalidBencodeException {
        if (pos >= in.length) {
            throw new InvalidBencodeException("unexpected end of input", pos);
        }
        return in[pos] & 0xff;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }
}
