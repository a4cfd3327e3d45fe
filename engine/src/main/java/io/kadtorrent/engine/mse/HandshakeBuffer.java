package io.kadtorrent.engine.mse;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes an MSE handshake has received but not yet consumed, in a bounded array: it takes from the
 * input only what fits, so a handshake never holds more than its largest field (see
 * {@link MseHandshake#MAX_INITIAL_PAYLOAD_BYTES}), whatever the peer sends.
 */
final class HandshakeBuffer {

    private static final int INITIAL_BYTES = 1024; // > the longest scan, 512 bytes of pad + a 20-byte marker

    private byte[] buf = new byte[INITIAL_BYTES];
    private int start;
    private int end;

    int available() {
        return end - start;
    }

    int capacityBytes() {
        return buf.length;
    }

    /** Copies what fits of {@code in}; false when {@code in} is empty. */
    boolean fill(ByteBuffer in) {
        if (!in.hasRemaining()) {
            return false;
        }
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            end -= start;
            start = 0;
        }
        int n = Math.min(in.remaining(), buf.length - end);
        if (n == 0) {
            throw new IllegalStateException("handshake buffer full"); // every field fits: a bug, not the peer
        }
        in.get(buf, end, n);
        end += n;
        return true;
    }

    /** Makes room for a field of {@code fieldBytes}. */
    void ensureCapacity(int fieldBytes) {
        if (buf.length < fieldBytes) {
            buf = Arrays.copyOf(buf, fieldBytes);
        }
    }

    /** Where {@code pattern} starts within the first {@code maxOffset} + its length bytes; -1 if not (yet) there. */
    int indexOf(byte[] pattern, int maxOffset) {
        int last = Math.min(available() - pattern.length, maxOffset);
        for (int i = 0; i <= last; i++) {
            if (Arrays.equals(buf, start + i, start + i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        return -1;
    }

    void skip(int n) {
        start += n;
    }

    byte[] take(int n) {
        byte[] out = Arrays.copyOfRange(buf, start, start + n);
        start += n;
        return out;
    }
}
