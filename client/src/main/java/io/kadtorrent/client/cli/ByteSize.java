package io.kadtorrent.client.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
        return unit == 0 ? decimal(bytes, 0) + " B" : decimal(bytes, 1) + " " + UNITS[unit];
    }

    /**
     * {@code value} with {@code decimals} digits after the point, exactly as {@code String.format(Locale.ROOT,
     * "%.<decimals>f", value)} prints it, without starting the JDK's locale data for it: that costs a cold
     * command about 30 ms (bench/RESULTS.md, start-up), and {@code ls} prints a few of these per torrent. Like
     * {@link java.util.Formatter}, it rounds the shortest decimal form of the double ({@link Double#toString})
     * half up, and keeps the sign of -0.0.
     */
    static String decimal(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.format(Locale.ROOT, "%." + decimals + "f", value);
        }
        String magnitude = new BigDecimal(Double.toString(Math.abs(value))).setScale(decimals, RoundingMode.HALF_UP)
                .toPlainString();
        return Double.compare(value, 0.0) < 0 ? "-" + magnitude : magnitude;
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
            return seconds / 60 + "m" + twoDigits(seconds % 60) + "s";
        }
        if (seconds < 100 * 3600) {
            return seconds / 3600 + "h" + twoDigits(seconds % 3600 / 60) + "m";
        }
        return seconds / 86400 + "d";
    }

    /** 0..99 as two digits ({@code %02d}). */
    private static String twoDigits(long n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }
}
