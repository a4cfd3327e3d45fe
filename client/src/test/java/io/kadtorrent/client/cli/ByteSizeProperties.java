package io.kadtorrent.client.cli;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hand-made number formats print exactly what {@code String.format(Locale.ROOT, ...)} printed before. */
class ByteSizeProperties {

    @Property(tries = 3000)
    void decimalIsFormattersFixedPoint(@ForAll("doubles") double value, @ForAll @IntRange(min = 0, max = 3) int decimals) {
        assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", value), ByteSize.decimal(value, decimals));
    }

    @Test
    void decimalRoundsTheShortestDecimalFormHalfUpAsFormatterDoes() {
        for (double v : new double[]{0.05, 0.15, 0.25, 0.35, 0.45, 9.95, 99.95, 99.99999, 100.0, 0.0, -0.0, -0.05, 0.5, 1.5,
                2.5, -2.5, 1e7, 1.2345e-7, 123456789.05, Double.MAX_VALUE, Double.MIN_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            for (int decimals = 0; decimals <= 2; decimals++) {
                assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", v), ByteSize.decimal(v, decimals), v + "/" + decimals);
            }
        }
    }

    @Property(tries = 3000)
    void formatIsTheFormerStringFormatOne(@ForAll("sizes") long bytes) {
        assertEquals(formerFormat(bytes), ByteSize.format(bytes));
    }

    @Property(tries = 1000)
    void durationIsTheFormerStringFormatOne(@ForAll @LongRange(min = -100, max = 10_000_000) long seconds) {
        assertEquals(formerDuration(seconds), ByteSize.duration(seconds));
    }

    @Provide
    Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-1e6, 1e6).ofScale(3),
                Arbitraries.doubles().between(0, 100), Arbitraries.doubles(),
                Arbitraries.longs().map(l -> Double.longBitsToDouble(l)).filter(d -> !Double.isNaN(d)));
    }

    @Provide
    Arbitrary<Long> sizes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 1L << 50), Arbitraries.longs().between(0, 10_000),
                Arbitraries.longs().between(-5_000_000, 5_000_000), Arbitraries.longs());
    }

    /** ByteSize.format as it was, with String.format. */
    static String formerFormat(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (Math.abs(bytes) >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? String.format(Locale.ROOT, "%.0f B", bytes)
                : String.format(Locale.ROOT, "%.1f %s", bytes, units[unit]);
    }

    /** ByteSize.duration as it was, with String.format. */
    private static String formerDuration(long seconds) {
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
