package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The Kademlia routing table of BEP 5 as a list of k-buckets: bucket {@code i} (all but the last)
 * holds nodes whose id shares exactly {@code i} leading bits with ours; the last bucket holds the
 * rest, our own id's neighbourhood, and is the only one that splits. Never holds our own id nor
 * two entries for one ip:port. Confined to the engine thread; no I/O, no clock of its own.
 */
public final class RoutingTable {

    static final long REFRESH_AFTER_MILLIS = 15 * 60_000L; // BEP 5: refresh buckets idle 15 minutes

    private final NodeId own;
    private final List<KBucket> buckets = new ArrayList<>();

    public RoutingTable(NodeId own, long nowMillis) {
        this.own = own;
        buckets.add(new KBucket(nowMillis));
    }

    public NodeId ownId() {
        return own;
    }

    /** The node answered one of our queries: it is verified and good. */
    public InsertResult recordReply(Contact c, long nowMillis) {
        return insert(c, nowMillis, true);
    }

    /** The node queried us (and is not BEP 43 read-only): stored unverified if there is room. */
    public InsertResult recordQuery(Contact c, long nowMillis) {
        return insert(c, nowMillis, false);
    }

    /** A query to {@code c} timed out: after repeated failures it is bad and a replacement takes its place. */
    public void recordFailure(Contact c) {
        KBucket b = bucketFor(c.id());
        KBucket.Entry e = b.find(c);
        if (e == null || !e.contact.address().equals(c.address())) {
            return;
        }
        e.failures++;
        if (e.failures >= KBucket.MAX_FAILURES) {
            Contact r = b.takeReplacement();
            if (r != null && findAnywhere(r) == null) {
                b.entries.remove(e);
                b.entries.add(new KBucket.Entry(r, e.lastActiveMillis));
            }
        }
    }

    private InsertResult insert(Contact c, long nowMillis, boolean replied) {
        if (c.id().equals(own)) {
            return InsertResult.REJECTED;
        }
        KBucket b = bucketFor(c.id());
        KBucket.Entry existing = b.find(c);
        if (existing != null) {
            if (!existing.contact.address().equals(c.address())) {
                return InsertResult.REJECTED; // same id from another address: keep the one we know
            }
            touch(existing, b, nowMillis, replied);
            return InsertResult.UPDATED;
        }
        if (findAddress(c) != null) {
            return InsertResult.REJECTED;
        }
        while (b.isFull() && canSplit(b)) {
            split();
            b = bucketFor(c.id());
        }
        KBucket.Entry fresh = new KBucket.Entry(c, nowMillis);
        if (!b.isFull()) {
            b.entries.add(fresh);
            b.removeReplacement(c);
            touch(fresh, b, nowMillis, replied);
            return InsertResult.INSERTED;
        }
        KBucket.Entry bad = b.worst(nowMillis, NodeState.BAD);
        if (bad != null && replied) {
            b.entries.remove(bad);
            b.entries.add(fresh);
            touch(fresh, b, nowMillis, true);
            return InsertResult.REPLACED_BAD;
        }
        // BEP 42, preferred rather than enforced (its transition period): a verified node with a valid id
        // takes the place of one whose id does not match its IP.
        KBucket.Entry insecure = replied && c.hasSecureId() ? b.firstInsecure() : null;
        if (insecure != null) {
            b.entries.remove(insecure);
            b.entries.add(fresh);
            touch(fresh, b, nowMillis, true);
            return InsertResult.REPLACED_INSECURE;
        }
        b.cacheReplacement(c);
        return InsertResult.CACHED;
    }

    private static void touch(KBucket.Entry e, KBucket b, long nowMillis, boolean replied) {
        e.lastActiveMillis = nowMillis;
        if (replied) {
            e.lastReplyMillis = nowMillis;
            e.failures = 0;
            b.lastChangedMillis = nowMillis;
        }
    }

    private boolean canSplit(KBucket b) {
        return b == buckets.get(buckets.size() - 1) && buckets.size() < NodeId.BITS;
    }

    /** Splits the last bucket: nodes sharing exactly {@code n-1} bits with us stay, the rest move on. */
    private void split() {
        int depth = buckets.size() - 1;
        KBucket old = buckets.get(depth);
        KBucket near = new KBucket(old.lastChangedMillis);
        buckets.add(near);
        for (Iterator<KBucket.Entry> it = old.entries.iterator(); it.hasNext(); ) {
            KBucket.Entry e = it.next();
            if (own.commonPrefixLength(e.contact.id()) > depth) {
                it.remove();
                near.entries.add(e);
            }
        }
        for (Iterator<Contact> it = old.drainReplacements(); it.hasNext(); ) {
            Contact r = it.next();
            (own.commonPrefixLength(r.id()) > depth ? near : old).cacheReplacement(r);
        }
    }

    private KBucket bucketFor(NodeId id) {
        return buckets.get(Math.min(own.commonPrefixLength(id), buckets.size() - 1));
    }

    private KBucket.Entry findAnywhere(Contact c) {
        KBucket.Entry e = bucketFor(c.id()).find(c);
        return e != null ? e : findAddress(c);
    }

    private KBucket.Entry findAddress(Contact c) {
        int hash = c.address().hashCode();
        for (int i = 0; i < buckets.size(); i++) {
            KBucket.Entry e = buckets.get(i).findAddress(c.address(), hash);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /** In a full bucket that {@code id} would go to, the least recently active questionable node, to ping. */
    public Optional<Contact> questionableToPing(NodeId id, long nowMillis) {
        KBucket b = bucketFor(id);
        if (!b.isFull()) {
            return Optional.empty();
        }
        KBucket.Entry e = b.worst(nowMillis, NodeState.QUESTIONABLE);
        return e == null ? Optional.empty() : Optional.of(e.contact);
    }

    /**
     * Up to {@code k} contacts that are not bad, closest to {@code target} first. Sorts a few buckets,
     * not the table: with {@code c} the bits {@code target} shares with our id, bucket {@code c} holds
     * the nearest nodes, then every deeper bucket (their distance to {@code target} starts at bit c),
     * then buckets c-1, c-2 ... 0, each farther than the one before (distance starting at bit i).
     */
    public List<Contact> closest(NodeId target, int k) {
        int last = buckets.size() - 1;
        int c = Math.min(own.commonPrefixLength(target), last);
        List<Contact> out = new ArrayList<>(k + KBucket.K);
        collectSorted(out, c, c, target);
        if (c < last && out.size() < k) {
            collectSorted(out, c + 1, last, target);
        }
        for (int i = c - 1; i >= 0 && out.size() < k; i--) {
            collectSorted(out, i, i, target);
        }
        return out.size() <= k ? out : new ArrayList<>(out.subList(0, k));
    }

    /** Appends the usable contacts of buckets {@code from..to}, sorted among themselves by distance to {@code target}. */
    private void collectSorted(List<Contact> out, int from, int to, NodeId target) {
        int start = out.size();
        for (int i = from; i <= to; i++) {
            for (KBucket.Entry e : buckets.get(i).entries) {
                if (e.failures < KBucket.MAX_FAILURES) {
                    out.add(e.contact);
                }
            }
        }
        out.subList(start, out.size()).sort((x, y) -> target.compareDistance(x.id(), y.id()));
    }

    /** Up to {@code max} good contacts, most recently verified first (for bootstrap lists and saving). */
    public List<Contact> goodContacts(int max, long nowMillis) {
        List<KBucket.Entry> good = new ArrayList<>();
        for (KBucket b : buckets) {
            for (KBucket.Entry e : b.entries) {
                if (e.state(nowMillis) == NodeState.GOOD) {
                    good.add(e);
                }
            }
        }
        good.sort((x, y) -> Long.compare(y.lastReplyMillis, x.lastReplyMillis));
        return good.stream().limit(max).map(e -> e.contact).toList();
    }

    /** Every contact in the table, in bucket order. */
    public List<Contact> contacts() {
        List<Contact> all = new ArrayList<>(size());
        buckets.forEach(b -> b.entries.forEach(e -> all.add(e.contact)));
        return all;
    }

    /**
     * True if {@code c} (this id at this address) is in the table and has answered one of our queries: its
     * address was proven by a round trip, so a query claiming to come from it is not a stranger's.
     */
    public boolean hasAnswered(Contact c) {
        KBucket.Entry e = bucketFor(c.id()).find(c);
        return e != null && e.lastReplyMillis >= 0 && e.contact.address().equals(c.address());
    }

    public Optional<NodeState> stateOf(Contact c, long nowMillis) {
        KBucket.Entry e = bucketFor(c.id()).find(c);
        return e == null ? Optional.empty() : Optional.of(e.state(nowMillis));
    }

    /**
     * Random ids inside every bucket idle for 15 minutes (BEP 5 refresh); those buckets count as
     * refreshed from now on, so each is looked up once per period.
     */
    public List<NodeId> refreshTargets(long nowMillis, RandomGenerator random) {
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.size(); i++) {
            KBucket b = buckets.get(i);
            if (nowMillis - b.lastChangedMillis >= REFRESH_AFTER_MILLIS) {
                b.lastChangedMillis = nowMillis;
                boolean last = i == buckets.size() - 1;
                targets.add(last ? NodeId.randomWithPrefix(own, i, random)
                        : NodeId.randomWithPrefix(own.withBitFlipped(i), i + 1, random));
            }
        }
        return targets;
    }

    /** When the next bucket becomes idle long enough to need a refresh (BEP 5: 15 minutes). */
    public long nextRefreshMillis() {
        long earliest = Long.MAX_VALUE;
        for (KBucket b : buckets) {
            earliest = Math.min(earliest, b.lastChangedMillis + REFRESH_AFTER_MILLIS);
        }
        return earliest;
    }

    public int size() {
        int n = 0;
        for (KBucket b : buckets) {
            n += b.entries.size();
        }
        return n;
    }

    public int bucketCount() {
        return buckets.size();
    }

    public int replacementCount() {
        return buckets.stream().mapToInt(KBucket::replacementCount).sum();
    }

    /** Throws {@link IllegalStateException} if a structural invariant is broken (used by tests after every step). */
    public void checkInvariants() {
        RoutingTableInvariants.check(own, buckets);
    }
}
