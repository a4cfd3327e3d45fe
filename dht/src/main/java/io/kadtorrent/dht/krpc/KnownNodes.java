package io.kadtorrent.dht.krpc;

/**
 * Nodes whose compact infos a decoder may share instead of building new ones: a node named in a
 * {@code nodes} list is otherwise an id, an address and their holders, made for every reply that names it
 * and mostly dropped at once. The real node shares nothing ({@link #NONE}); a simulated network, which
 * holds every node anyway, hands out each node's one instance.
 */
@FunctionalInterface
public interface KnownNodes {

    /** Shares nothing: every decoded node is a new object. */
    KnownNodes NONE = (in, offset) -> null;

    /**
     * The shared info equal to the IPv4 compact node info (26 bytes: id, address, port) at {@code offset}
     * of {@code in}, or null to decode it as usual. It must be equal, id and address, to what decoding
     * would make: sharing changes no result, only how many objects there are.
     */
    CompactNodeInfo find(byte[] in, int offset);
}
