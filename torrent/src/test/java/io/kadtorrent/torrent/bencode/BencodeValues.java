package io.kadtorrent.torrent.bencode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Structural equality of decoded bencode values (records and maps compare {@code byte[]} by reference). */
final class BencodeValues {

    private BencodeValues() {
    }

    static boolean deepEquals(Object a, Object b) {
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            Iterator<?> i = y.iterator();
            return x.stream().allMatch(v -> deepEquals(v, i.next()));
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            return x.keySet().equals(y.keySet()) && x.entrySet().stream()
                    .allMatch(e -> deepEquals(e.getValue(), y.get(e.getKey())));
        }
        return a != null && a.equals(b);
    }
}
