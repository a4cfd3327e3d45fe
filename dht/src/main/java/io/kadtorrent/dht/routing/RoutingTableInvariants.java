package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;

import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The structural rules every {@link RoutingTable} state must satisfy, checked on demand. */
final class RoutingTableInvariants {

    private RoutingTableInvariants() {
    }

    static void check(NodeId own, List<KBucket> buckets) {
        Set<NodeId> ids = new HashSet<>();
        Set<InetSocketAddress> addresses = new HashSet<>();
        int last = buckets.size() - 1;
        if (buckets.isEmpty() || buckets.size() > NodeId.BITS) {
            fail("bucket count " + buckets.size() + " outside 1..160");
        }
        for (int i = 0; i <= last; i++) {
            KBucket b = buckets.get(i);
            if (b.entries.size() > KBucket.K || b.replacementCount() > KBucket.K) {
                fail("bucket " + i + " over capacity");
            }
            for (KBucket.Entry e : b.entries) {
                NodeId id = e.contact.id();
                int cpl = own.commonPrefixLength(id);
                if (id.equals(own)) {
                    fail("own id in bucket " + i);
                }
                if (i < last ? cpl != i : cpl < last) {
                    fail("contact " + e.contact + " (prefix " + cpl + ") in wrong bucket " + i);
                }
                if (!ids.add(id) || !addresses.add(e.contact.address())) {
                    fail("duplicate id or ip:port " + e.contact);
                }
            }
            for (Contact r : b.replacementList()) {
                int cpl = own.commonPrefixLength(r.id());
                if (i < last ? cpl != i : cpl < last) {
                    fail("replacement " + r + " in wrong bucket " + i);
                }
            }
        }
    }

    private static void fail(String message) {
        throw new IllegalStateException("routing table invariant broken: " + message);
    }
}
