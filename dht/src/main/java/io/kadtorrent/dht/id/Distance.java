package io.kadtorrent.dht.id;

import java.util.Comparator;

/** Orderings by XOR distance (BEP 5: distance(A, B) = |A xor B| as an unsigned integer). */
public final class Distance {

    private Distance() {
    }

    /** Orders ids from closest to farthest from {@code target}. */
    public static Comparator<NodeId> to(NodeId target) {
        return target::compareDistance;
    }
}
