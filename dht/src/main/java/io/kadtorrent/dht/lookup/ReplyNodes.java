package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.routing.Contact;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What one reply's {@code nodes} and {@code nodes6} may add to a lookup (issue 16, item 4): a hostile node can send
 * thousands of invented ids next to the target, and each costs the lookup a query timeout. So a
 * reply contributes at most {@link Lookup#K} contacts, the closest to the target, after dropping
 * our own id, the sender's own id or address, any id listed at two addresses or address listed under
 * two ids (both entries: one of them is a lie), addresses the sender could not have reached us
 * from (loopback from a non-loopback sender, private or link-local from a public one), and nodes of
 * the other address family, which belong to the other DHT (BEP 32: a lookup stays in one family).
 */
public final class ReplyNodes {

    private ReplyNodes() {
    }

    /** Up to this many nodes, duplicates are found by comparing every pair: cheaper than two hash maps. */
    private static final int PAIRWISE_MAX = 32;

    /** The contacts of {@code nodes}, from {@code source}, worth adding to a lookup of {@code target}. */
    public static List<Contact> sanitise(List<Contact> nodes, Contact source, NodeId own, NodeId target) {
        boolean pairwise = nodes.size() <= PAIRWISE_MAX;
        Predicate<Contact> counted = pairwise ? null : listedOnceCounted(nodes);
        int sourceScope = scope(source.address().getAddress());
        AddressFamily family = AddressFamily.of(source.address().getAddress());
        List<Contact> kept = new ArrayList<>(Math.min(nodes.size(), PAIRWISE_MAX));
        for (int i = 0; i < nodes.size(); i++) {
            Contact c = nodes.get(i);
            if (AddressFamily.of(c.address().getAddress()) == family
                    && (pairwise ? listedOncePairwise(nodes, i) : counted.test(c))
                    && !c.id().equals(own) && !c.id().equals(source.id()) && !c.address().equals(source.address())
                    && scope(c.address().getAddress()) >= sourceScope) {
                kept.add(c);
            }
        }
        kept.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        return kept.size() <= Lookup.K ? kept : new ArrayList<>(kept.subList(0, Lookup.K));
    }

    private static boolean listedOncePairwise(List<Contact> nodes, int index) {
        Contact c = nodes.get(index);
        for (int j = 0; j < nodes.size(); j++) {
            Contact other = nodes.get(j);
            if (j != index && (other.id().equals(c.id()) || other.address().equals(c.address()))) {
                return false;
            }
        }
        return true;
    }

    private static Predicate<Contact> listedOnceCounted(List<Contact> nodes) {
        Map<NodeId, Integer> idCounts = new HashMap<>();
        Map<InetSocketAddress, Integer> addressCounts = new HashMap<>();
        for (Contact c : nodes) {
            idCounts.merge(c.id(), 1, Integer::sum);
            addressCounts.merge(c.address(), 1, Integer::sum);
        }
        return c -> idCounts.get(c.id()) == 1 && addressCounts.get(c.address()) == 1;
    }

    /** 0 loopback, 1 private or link-local (RFC 1918, RFC 3927, RFC 4193), 2 public. */
    static int scope(InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return 0;
        }
        byte[] b = ip.getAddress();
        boolean uniqueLocal6 = b.length == 16 && (b[0] & 0xfe) == 0xfc;
        return ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || uniqueLocal6 ? 1 : 2;
    }
}
