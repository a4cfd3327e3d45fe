package io.kadtorrent.dht.krpc;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The nodes one {@code nodes} string held, as decoded: an unmodifiable list over the decoder's own array, which a
 * {@link KrpcResponse} keeps as it is (no second copy of every reply's list).
 */
final class DecodedNodes extends AbstractList<CompactNodeInfo> implements RandomAccess {

    private final CompactNodeInfo[] nodes;
    private final int size;

    /** The first {@code size} entries of {@code nodes}, an array nobody else holds. */
    DecodedNodes(CompactNodeInfo[] nodes, int size) {
        this.nodes = nodes;
        this.size = size;
    }

    @Override
    public CompactNodeInfo get(int index) {
        return nodes[Objects.checkIndex(index, size)];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(nodes, size, Object[].class);
    }
}
