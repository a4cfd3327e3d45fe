package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The scale benchmark's "warm" tables: {@code size} nodes whose routing tables are filled directly, as a converged
 * network's would be (up to each bucket's capacity of random members of its id range, taken from the sorted id
 * list), with no datagram sent. An upper bound on what the protocol can fill, and a fast start for big networks.
 */
final class WarmTables {

    private WarmTables() {
    }

    /** Fills every table as a converged network would: per bucket range, up to K random members. */
    static void fill(SimulatedDht dht, int size) {
        SimulatedNetwork net = dht.network();
        for (int i = 0; i < size; i++) {
            net.addNode();
        }
        List<SimNode> nodes = new ArrayList<>(net.nodes());
        nodes.sort((a, b) -> a.engine().ownId().compareTo(b.engine().ownId()));
        NodeId[] ids = nodes.stream().map(n -> n.engine().ownId()).toArray(NodeId[]::new);
        Contact[] contacts = nodes.stream().map(n -> new Contact(n.engine().ownId(), n.address())).toArray(Contact[]::new);
        SplittableRandom random = new SplittableRandom(net.seed() ^ 0x5eed);
        for (SimNode node : nodes) {
            NodeId own = node.engine().ownId();
            for (int depth = 0; depth < NodeId.BITS; depth++) {
                NodeId sibling = own.withBitFlipped(depth);
                int from = lowerBound(ids, prefixBound(sibling, depth + 1, false));
                int to = lowerBound(ids, prefixBound(sibling, depth + 1, true), true);
                insertSome(node, contacts, from, to, random, node.engine().routingTable().capacity().of(depth));
                int ownFrom = lowerBound(ids, prefixBound(own, depth + 1, false));
                int ownTo = lowerBound(ids, prefixBound(own, depth + 1, true), true);
                if (ownTo - ownFrom <= 1) {
                    break; // nobody else shares our next prefix bit: the table is complete
                }
            }
        }
    }

    private static void insertSome(SimNode node, Contact[] contacts, int from, int to, SplittableRandom random, int want) {
        int count = to - from;
        if (count <= want) {
            for (int i = from; i < to; i++) {
                node.engine().routingTable().recordReply(contacts[i], 0);
            }
            return;
        }
        for (int picked = 0; picked < want; picked++) {
            node.engine().routingTable().recordReply(contacts[from + random.nextInt(count)], 0);
        }
    }

    private static NodeId prefixBound(NodeId id, int bits, boolean ones) {
        byte[] b = id.bytes();
        for (int i = bits; i < NodeId.BITS; i++) {
            int mask = 0x80 >>> (i & 7);
            b[i >> 3] = (byte) (ones ? (b[i >> 3] | mask) : (b[i >> 3] & ~mask));
        }
        return NodeId.of(b);
    }

    private static int lowerBound(NodeId[] sorted, NodeId key) {
        return lowerBound(sorted, key, false);
    }

    /** First index whose id is {@code >= key} (or {@code > key} when {@code strict}). */
    private static int lowerBound(NodeId[] sorted, NodeId key, boolean strict) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            int c = sorted[mid].compareTo(key);
            if (c < 0 || (strict && c == 0)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
