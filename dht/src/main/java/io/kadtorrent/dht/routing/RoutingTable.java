package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.CompactNodeList;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The Kademlia routing table of BEP 5 as a list of k-buckets: bucket {@code i} (all but the last)
 * holds nodes whose id shares exactly {@code i} leading bits with ours; the last bucket holds the
 * rest, our own id's neighbourhood, and is the only one that splits. Never holds our own id nor
 * two entries for one ip:port. Confined to the engine thread; no I/O, no clock of its own.
 * This class holds BEP 5's rules (who enters, who is verified, replaced or refreshed) and the views lookups read;
 * the bucket structure they act on (placing, splitting, scanning entries) is {@link Buckets}.
 */
public final class RoutingTable {

    static final long REFRESH_AFTER_MILLIS = 15 * 60_000L; // BEP 5: refresh buckets idle 15 minutes

    private final NodeId own;
    private final Buckets buckets;
    private final TableEntries entries; // the buckets' entries, read here by slot

    /** A table with BEP 5's K entries in every bucket. */
    public RoutingTable(NodeId own, long nowMillis) {
        this(own, nowMillis, BucketCapacity.STANDARD);
    }

    /** A table whose buckets hold as many entries as {@code capacity} says (e.g. {@link BucketCapacity#WIDE}). */
    public RoutingTable(NodeId own, long nowMillis, BucketCapacity capacity) {
        this.own = own;
        this.buckets = new Buckets(own, nowMillis, capacity);
        this.entries = buckets.entries();
    }

    public NodeId ownId() {
        return own;
    }

    /** The node answered one of our queries: it is verified and good. */
    public InsertResult recordReply(Contact c, long nowMillis) {
        return recordReply(c, nowMillis, -1);
    }

    /** As {@link #recordReply(Contact, long)}, the reply having come {@code roundTripMillis} after the query (-1: unknown). */
    public InsertResult recordReply(Contact c, long nowMillis, long roundTripMillis) {
        return insert(c, nowMillis, true, roundTripMillis);
    }

    /**
     * The node queried us (and is not BEP 43 read-only): stored unverified if its bucket has room within K. The room a
     * wide bucket has beyond K is for verified nodes only ({@link InsertResult#VERIFY_FIRST}: ping it, and its answer
     * brings it in), so that a flood of forged queriers can leave at most K unverified entries in any bucket.
     */
    public InsertResult recordQuery(Contact c, long nowMillis) {
        return insert(c, nowMillis, false, -1);
    }

    /**
     * True if {@code c} is not in the table (by id or address) and the bucket it would go to has room now, without
     * a split: a node worth pinging, since its answer would enter the table.
     */
    public boolean hasRoomFor(Contact c) {
        if (c.id().equals(own)) {
            return false;
        }
        int bucket = buckets.bucketFor(c.id());
        return !buckets.isFull(bucket) && buckets.find(bucket, c.id()) < 0 && entries.findAddress(c.address()) < 0;
    }

    /** True if the bucket {@code id} would go to holds more than K (see {@link BucketCapacity}). */
    public boolean isWideBucketFor(NodeId id) {
        return buckets.capacity().of(buckets.bucketFor(id)) > KBucket.K;
    }

    /**
     * Removes {@code c} (this id at this address) if it is in the table and has never answered one of our queries: it
     * did not answer the ping that was to verify it. A replacement, if its bucket has one, takes its place. True if
     * it was removed.
     */
    public boolean dropUnverified(Contact c) {
        int bucket = buckets.bucketFor(c.id());
        int e = buckets.find(bucket, c.id());
        if (e < 0 || entries.lastReply(e) >= 0 || !entries.address(e).equals(c.address())) {
            return false;
        }
        long lastActive = entries.lastActive(e);
        buckets.remove(e);
        Contact r = buckets.get(bucket).takeReplacement();
        if (r != null && buckets.findAnywhere(r) < 0) {
            buckets.add(r, bucket, lastActive);
        }
        return true;
    }

    /** A query to {@code c} timed out: after repeated failures it is bad and a replacement takes its place. */
    public void recordFailure(Contact c) {
        int bucket = buckets.bucketFor(c.id());
        int e = buckets.find(bucket, c.id());
        if (e < 0 || !entries.address(e).equals(c.address())) {
            return;
        }
        entries.setFailures(e, entries.failures(e) + 1);
        if (entries.failures(e) >= KBucket.MAX_FAILURES) {
            Contact r = buckets.get(bucket).takeReplacement();
            if (r != null && buckets.findAnywhere(r) < 0) {
                long lastActive = entries.lastActive(e);
                buckets.remove(e);
                buckets.add(r, bucket, lastActive);
            }
        }
    }

    private InsertResult insert(Contact c, long nowMillis, boolean replied, long roundTripMillis) {
        if (c.id().equals(own)) {
            return InsertResult.REJECTED;
        }
        int bucket = buckets.bucketFor(c.id());
        int existing = buckets.find(bucket, c.id());
        if (existing >= 0) {
            if (!entries.address(existing).equals(c.address())) {
                return InsertResult.REJECTED; // same id from another address: keep the one we know
            }
            touch(existing, bucket, nowMillis, replied);
            if (roundTripMillis >= 0) {
                entries.sampleRoundTrip(existing, roundTripMillis);
            }
            return InsertResult.UPDATED;
        }
        if (entries.findAddress(c.address()) >= 0) {
            return InsertResult.REJECTED;
        }
        while (buckets.isFull(bucket) && buckets.canSplit(bucket)) {
            buckets.split();
            bucket = buckets.bucketFor(c.id());
        }
        KBucket b = buckets.get(bucket);
        if (!buckets.isFull(bucket) && !replied && b.size >= KBucket.K) {
            return InsertResult.VERIFY_FIRST; // a wide bucket's room beyond K: verified nodes only
        }
        if (!buckets.isFull(bucket)) {
            int e = buckets.add(c, bucket, nowMillis);
            touch(e, bucket, nowMillis, replied);
            if (roundTripMillis >= 0) {
                entries.sampleRoundTrip(e, roundTripMillis);
            }
            b.removeReplacement(c);
            return InsertResult.INSERTED;
        }
        int bad = buckets.worst(bucket, nowMillis, NodeState.BAD);
        if (bad >= 0 && replied) {
            buckets.remove(bad);
            touch(buckets.add(c, bucket, nowMillis), bucket, nowMillis, true);
            return InsertResult.REPLACED_BAD;
        }
        // BEP 42, preferred rather than enforced (its transition period): a verified node with a valid id
        // takes the place of one whose id does not match its IP.
        int insecure = replied && c.hasSecureId() ? buckets.firstInsecure(bucket) : -1;
        if (insecure >= 0) {
            buckets.remove(insecure);
            touch(buckets.add(c, bucket, nowMillis), bucket, nowMillis, true);
            return InsertResult.REPLACED_INSECURE;
        }
        b.cacheReplacement(c);
        return InsertResult.CACHED;
    }

    private void touch(int e, int bucket, long nowMillis, boolean replied) {
        entries.touch(e, nowMillis, replied);
        if (replied) {
            buckets.get(bucket).lastChangedMillis = nowMillis;
        }
    }

    /** In a full bucket that {@code id} would go to, the least recently active questionable node, to ping. */
    public Optional<Contact> questionableToPing(NodeId id, long nowMillis) {
        int bucket = buckets.bucketFor(id);
        if (!buckets.isFull(bucket)) {
            return Optional.empty();
        }
        int e = buckets.worst(bucket, nowMillis, NodeState.QUESTIONABLE);
        return e < 0 ? Optional.empty() : Optional.of(entries.contact(e));
    }

    /**
     * Up to {@code k} contacts that are not bad, closest to {@code target} first.
     */
    public List<Contact> closest(NodeId target, int k) {
        int[] picked = buckets.closestSlots(target, k);
        List<Contact> out = new ArrayList<>(picked.length);
        for (int e : picked) {
            out.add(entries.contact(e));
        }
        return out;
    }

    /**
     * Of the {@code among} contacts closest to {@code target}, the {@code count} (at most) whose replies have been
     * fastest, fastest first; those never measured are left out. A lookup can ask these first: they are about as
     * close, and their answers come sooner.
     */
    public List<Contact> fastest(NodeId target, int among, int count) {
        int[] picked = buckets.closestSlots(target, among);
        List<Integer> measured = new ArrayList<>(picked.length);
        for (int e : picked) {
            if (entries.roundTrip(e) > 0) {
                measured.add(e);
            }
        }
        measured.sort((a, b) -> Integer.compare(entries.roundTrip(a), entries.roundTrip(b)));
        List<Contact> out = new ArrayList<>(count);
        for (int i = 0; i < Math.min(count, measured.size()); i++) {
            out.add(entries.contact(measured.get(i)));
        }
        return out;
    }

    /**
     * The nodes a find_node or get_peers answer carries, as compact node infos: {@link #closest}, but leaving out
     * every node whose last query from us went unanswered (all its attempts). Such a node has most likely left the
     * network; kept in our table until it fails again, it is not handed to others, whose lookups would wait out its
     * timeouts (in a simulated network with churn that wait made lookups to the K closest 4x slower).
     */
    public List<CompactNodeInfo> closestCompact(NodeId target, int k) {
        int[] picked = buckets.closestSlots(target, k, 1);
        long[] words = new long[3 * picked.length];
        InetSocketAddress[] addresses = new InetSocketAddress[picked.length];
        for (int i = 0; i < picked.length; i++) {
            for (int w = 0; w < 3; w++) {
                words[3 * i + w] = entries.word(picked[i], w);
            }
            addresses[i] = entries.address(picked[i]);
        }
        return new CompactNodeList(words, addresses);
    }

    /** Up to {@code max} good contacts, most recently verified first (for bootstrap lists and saving). */
    public List<Contact> goodContacts(int max, long nowMillis) {
        List<Integer> good = new ArrayList<>();
        for (int e : buckets.slotsInBucketOrder()) {
            if (entries.state(e, nowMillis) == NodeState.GOOD) {
                good.add(e);
            }
        }
        good.sort((x, y) -> Long.compare(entries.lastReply(y), entries.lastReply(x)));
        return good.stream().limit(max).map(entries::contact).toList();
    }

    /** Every contact in the table, in bucket order. */
    public List<Contact> contacts() {
        int[] slots = buckets.slotsInBucketOrder();
        List<Contact> all = new ArrayList<>(slots.length);
        for (int e : slots) {
            all.add(entries.contact(e));
        }
        return all;
    }

    /**
     * True if {@code c} (this id at this address) is in the table and has answered one of our queries: its
     * address was proven by a round trip, so a query claiming to come from it is not a stranger's.
     */
    public boolean hasAnswered(Contact c) {
        int e = buckets.find(buckets.bucketFor(c.id()), c.id());
        return e >= 0 && entries.lastReply(e) >= 0 && entries.address(e).equals(c.address());
    }

    public Optional<NodeState> stateOf(Contact c, long nowMillis) {
        int e = buckets.find(buckets.bucketFor(c.id()), c.id());
        return e < 0 ? Optional.empty() : Optional.of(entries.state(e, nowMillis));
    }

    /**
     * Random ids inside every bucket idle for 15 minutes (BEP 5 refresh); those buckets count as
     * refreshed from now on, so each is looked up once per period.
     */
    public List<NodeId> refreshTargets(long nowMillis, RandomGenerator random) {
        List<NodeId> targets = new ArrayList<>();
        for (int i = 0; i < buckets.count(); i++) {
            KBucket b = buckets.get(i);
            if (nowMillis - b.lastChangedMillis >= REFRESH_AFTER_MILLIS) {
                b.lastChangedMillis = nowMillis;
                boolean last = i == buckets.count() - 1;
                targets.add(last ? NodeId.randomWithPrefix(own, i, random)
                        : NodeId.randomWithPrefix(own.withBitFlipped(i), i + 1, random));
            }
        }
        return targets;
    }

    /** When the next bucket becomes idle long enough to need a refresh (BEP 5: 15 minutes). */
    public long nextRefreshMillis() {
        long earliest = Long.MAX_VALUE;
        for (int i = 0; i < buckets.count(); i++) {
            earliest = Math.min(earliest, buckets.get(i).lastChangedMillis + REFRESH_AFTER_MILLIS);
        }
        return earliest;
    }

    public int size() {
        return entries.size();
    }

    /** How many entries bucket {@code bucket} holds now (0 = farthest from our id). */
    public int bucketSize(int bucket) {
        return buckets.get(bucket).size;
    }

    public BucketCapacity capacity() {
        return buckets.capacity();
    }

    public int bucketCount() {
        return buckets.count();
    }

    public int replacementCount() {
        return buckets.replacementCount();
    }

    /** Throws {@link IllegalStateException} if a structural invariant is broken (used by tests after every step). */
    public void checkInvariants() {
        buckets.checkInvariants();
    }
}
