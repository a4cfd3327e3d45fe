package io.kadtorrent.client.cli;

import java.util.Locale;

/** Reads a byte count given on the command line: digits with an optional K, M or G (powers of 1024). */
final class ByteSize {

    private ByteSize() {
    }

    static int parseInt(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        int shift = 0;
        if (s.endsWith("K") || s.endsWith("M") || s.endsWith("G")) {
            shift = switch (s.charAt(s.length() - 1)) {
                case 'K' -> 10;
                case 'M' -> 20;
                default -> 30;
            };
            s = s.substring(0, s.length() - 1);
        }
        try {
            long value = Long.parseLong(s);
            if (value < 0 || value > (Integer.MAX_VALUE >> shift)) {
                throw new IllegalArgumentException("byte size out of range: " + text);
            }
            return (int) (value << shift);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a byte size: " + text);
        }
    }
}
