package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;

import java.net.InetSocketAddress;
import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * Compact node infos kept as a routing table keeps them, each id as its three {@link NodeId#word} numbers beside
 * its address: a find_node or get_peers answer is written from these numbers with no {@link NodeId} or
 * {@link CompactNodeInfo} object per node (a simulated million nodes answer hundreds of millions of queries); an
 * element is made only when someone reads it. Immutable.
 */
public final class CompactNodeList extends AbstractList<CompactNodeInfo> implements RandomAccess {

    private final long[] words;
    private final InetSocketAddress[] addresses;

    /** Takes both arrays, which the caller no longer touches: three words per address. */
    public CompactNodeList(long[] words, InetSocketAddress[] addresses) {
        if (words.length != 3 * addresses.length) {
            throw new IllegalArgumentException(words.length + " words for " + addresses.length + " addresses");
        }
        this.words = words;
        this.addresses = addresses;
    }

    @Override
    public CompactNodeInfo get(int index) {
        return new CompactNodeInfo(NodeId.ofWords(words[3 * index], words[3 * index + 1], words[3 * index + 2]),
                addresses[index]);
    }

    @Override
    public int size() {
        return addresses.length;
    }

    InetSocketAddress address(int index) {
        return addresses[index];
    }

    /** Writes the id of entry {@code index} (20 bytes) at {@code offset}. */
    void copyIdTo(int index, byte[] out, int offset) {
        NodeId.writeWords(words[3 * index], words[3 * index + 1], words[3 * index + 2], out, offset);
    }
}
