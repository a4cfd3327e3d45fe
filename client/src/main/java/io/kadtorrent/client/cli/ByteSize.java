package io.kadtorrent.client.cli;

import java.util.Locale;

/**
 * Byte counts on the command line, in binary (IEC) units everywhere: K, M and G suffixes read as
 * powers of 1024, and sizes and rates printed as B, KiB, MiB, GiB, TiB.
 */
final class ByteSize {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

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

    /**
     * A rate in bytes per second: a number with an optional binary unit (K/KiB, M/MiB, G/GiB) and an
     * optional {@code /s}; {@code 0} or {@code unlimited} mean no limit (0).
     */
    static long parseRate(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.equals("unlimited") || s.equals("none")) {
            return 0;
        }
        if (s.endsWith("/s")) {
            s = s.substring(0, s.length() - 2).strip();
        }
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        if (!s.isEmpty() && "kmg".indexOf(s.charAt(s.length() - 1)) >= 0) {
            shift = 10 * (1 + "kmg".indexOf(s.charAt(s.length() - 1)));
            s = s.substring(0, s.length() - 1).strip();
        }
        double value;
        try {
            value = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a rate (e.g. 500K, 2MiB, 0 for unlimited)");
        }
        double bytes = value * (1L << shift);
        if (!(bytes >= 0) || bytes > 1L << 40 || Double.isNaN(bytes)) {
            throw new IllegalArgumentException("rate out of range: " + text);
        }
        return Math.round(bytes);
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 27.2 MiB}: one decimal from KiB up. */
    static String format(double bytes) {
        int unit = 0;
        while (Math.abs(bytes) >= 1024 && unit < UNITS.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f B", bytes)
                : String.format(Locale.ROOT, "%.1f %s", bytes, UNITS[unit]);
    }

    /** A transfer rate: {@code 0 B/s}, {@code 3.4 MiB/s}. */
    static String formatRate(double bytesPerSecond) {
        return format(bytesPerSecond) + "/s";
    }

    /** An ETA: {@code 42s}, {@code 1m05s}, {@code 1h02m}, {@code 5d}. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        if (seconds < 100 * 3600) {
            return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
        }
        return seconds / 86400 + "d";
    }
}
