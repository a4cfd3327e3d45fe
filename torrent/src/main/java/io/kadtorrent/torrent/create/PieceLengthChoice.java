package io.kadtorrent.torrent.create;

/**
 * Picks a piece length when the user gives none: the smallest power of two that keeps the
 * torrent at no more than {@link #TARGET_MAX_PIECES} pieces, within 16 KiB-16 MiB. Bigger
 * pieces make smaller .torrent files; smaller pieces make finer-grained swarming.
 */
public final class PieceLengthChoice {

    /** 16 KiB: one BEP 3 block; smaller pieces make no sense on the wire. */
    public static final int MIN_BYTES = 16 << 10;
    /** 16 MiB: the largest piece common clients (libtorrent, Transmission) create. */
    public static final int MAX_BYTES = 16 << 20;
    /** With powers of two this lands between 1,000 and 2,000 pieces for mid-sized inputs. */
    public static final long TARGET_MAX_PIECES = 2_000;

    private PieceLengthChoice() {
    }

    /** The automatic piece length for {@code totalBytes} of content. */
    public static int forTotal(long totalBytes) {
        int length = MIN_BYTES;
        while (length < MAX_BYTES && ceilDiv(totalBytes, length) > TARGET_MAX_PIECES) {
            length <<= 1;
        }
        return length;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
