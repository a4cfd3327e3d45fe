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

    static void check(NodeId own, List<KBucket> buckets, TableEntries entries, BucketCapacity capacity) {
        Set<NodeId> ids = new HashSet<>();
        Set<InetSocketAddress> addresses = new HashSet<>();
        int last = buckets.size() - 1;
        if (buckets.isEmpty() || buckets.size() > NodeId.BITS) {
            fail("bucket count " + buckets.size() + " outside 1..160");
        }
        for (int e = 0; e < entries.size(); e++) {
            int i = entries.bucket(e);
            NodeId id = entries.id(e);
            int cpl = own.commonPrefixLength(id);
            if (i > last) {
                fail("contact " + entries.contact(e) + " in missing bucket " + i);
            }
            if (id.equals(own)) {
                fail("own id in bucket " + i);
            }
            if (i < last ? cpl != i : cpl < last) {
                fail("contact " + entries.contact(e) + " (prefix " + cpl + ") in wrong bucket " + i);
            }
            if (!ids.add(id) || !addresses.add(entries.address(e))) {
                fail("duplicate id or ip:port " + entries.contact(e));
            }
        }
        for (int i = 0; i <= last; i++) {
            KBucket b = buckets.get(i);
            if (entries.count(i) > capacity.of(i) || b.replacementCount() > KBucket.K) {
                fail("bucket " + i + " over capacity");
            }
            if (entries.count(i) != b.size) {
                fail("bucket " + i + " counts " + b.size + " entries but holds " + entries.count(i));
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
