package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import io.kadtorrent.dht.krpc.CompactNodeList;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
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
    private final long own0;
    private final long own1;
    private final long own2;
    private final List<KBucket> buckets = new ArrayList<>();
    private final TableEntries entries = new TableEntries();
    private final BucketCapacity capacity;

    /** A table with BEP 5's K entries in every bucket. */
    public RoutingTable(NodeId own, long nowMillis) {
        this(own, nowMillis, BucketCapacity.STANDARD);
    }

    /** A table whose buckets hold as many entries as {@code capacity} says (e.g. {@link BucketCapacity#WIDE}). */
    public RoutingTable(NodeId own, long nowMillis, BucketCapacity capacity) {
        this.own = own;
        this.capacity = capacity;
        this.own0 = own.word(0);
        this.own1 = own.word(1);
        this.own2 = own.word(2);
        buckets.add(new KBucket(nowMillis));
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
        int bucket = bucketFor(c.id());
        return !isFull(bucket) && find(bucket, c.id()) < 0 && entries.findAddress(c.address()) < 0;
    }

    /** True if the bucket {@code id} would go to holds more than K (see {@link BucketCapacity}). */
    public boolean isWideBucketFor(NodeId id) {
        return capacity.of(bucketFor(id)) > KBucket.K;
    }

    /**
     * Removes {@code c} (this id at this address) if it is in the table and has never answered one of our queries: it
     * did not answer the ping that was to verify it. A replacement, if its bucket has one, takes its place. True if
     * it was removed.
     */
    public boolean dropUnverified(Contact c) {
        int bucket = bucketFor(c.id());
        int e = find(bucket, c.id());
        if (e < 0 || entries.lastReply(e) >= 0 || !entries.address(e).equals(c.address())) {
            return false;
        }
        long lastActive = entries.lastActive(e);
        remove(e);
        Contact r = buckets.get(bucket).takeReplacement();
        if (r != null && findAnywhere(r) < 0) {
            add(r, bucket, lastActive);
        }
        return true;
    }

    /** A query to {@code c} timed out: after repeated failures it is bad and a replacement takes its place. */
    public void recordFailure(Contact c) {
        int bucket = bucketFor(c.id());
        int e = find(bucket, c.id());
        if (e < 0 || !entries.address(e).equals(c.address())) {
            return;
        }
        entries.setFailures(e, entries.failures(e) + 1);
        if (entries.failures(e) >= KBucket.MAX_FAILURES) {
            Contact r = buckets.get(bucket).takeReplacement();
            if (r != null && findAnywhere(r) < 0) {
                long lastActive = entries.lastActive(e);
                remove(e);
                add(r, bucket, lastActive);
            }
        }
    }

    private InsertResult insert(Contact c, long nowMillis, boolean replied, long roundTripMillis) {
        if (c.id().equals(own)) {
            return InsertResult.REJECTED;
        }
        int bucket = bucketFor(c.id());
        int existing = find(bucket, c.id());
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
        while (isFull(bucket) && canSplit(bucket)) {
            split();
            bucket = bucketFor(c.id());
        }
        KBucket b = buckets.get(bucket);
        if (!isFull(bucket) && !replied && b.size >= KBucket.K) {
            return InsertResult.VERIFY_FIRST; // a wide bucket's room beyond K: verified nodes only
        }
        if (!isFull(bucket)) {
            int e = add(c, bucket, nowMillis);
            touch(e, bucket, nowMillis, replied);
            if (roundTripMillis >= 0) {
                entries.sampleRoundTrip(e, roundTripMillis);
            }
            b.removeReplacement(c);
            return InsertResult.INSERTED;
        }
        int bad = worst(bucket, nowMillis, NodeState.BAD);
        if (bad >= 0 && replied) {
            remove(bad);
            touch(add(c, bucket, nowMillis), bucket, nowMillis, true);
            return InsertResult.REPLACED_BAD;
        }
        // BEP 42, preferred rather than enforced (its transition period): a verified node with a valid id
        // takes the place of one whose id does not match its IP.
        int insecure = replied && c.hasSecureId() ? firstInsecure(bucket) : -1;
        if (insecure >= 0) {
            remove(insecure);
            touch(add(c, bucket, nowMillis), bucket, nowMillis, true);
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

    private boolean isFull(int bucket) {
        return buckets.get(bucket).size >= capacity.of(bucket);
    }

    private int add(Contact c, int bucket, long nowMillis) {
        buckets.get(bucket).size++;
        return entries.add(c, bucket, nowMillis);
    }

    private void remove(int e) {
        buckets.get(entries.bucket(e)).size--;
        entries.remove(e);
    }

    private boolean canSplit(int bucket) {
        return bucket == buckets.size() - 1 && buckets.size() < NodeId.BITS;
    }

    /** Splits the last bucket: nodes sharing exactly {@code n-1} bits with us stay, the rest move on. */
    private void split() {
        int depth = buckets.size() - 1;
        KBucket old = buckets.get(depth);
        KBucket near = new KBucket(old.lastChangedMillis);
        buckets.add(near);
        for (int e = 0; e < entries.size(); e++) {
            if (entries.bucket(e) == depth && commonPrefixLength(e) > depth) {
                entries.moveTo(e, depth + 1);
                old.size--;
                near.size++;
            }
        }
        for (Iterator<Contact> it = old.drainReplacements(); it.hasNext(); ) {
            Contact r = it.next();
            (own.commonPrefixLength(r.id()) > depth ? near : old).cacheReplacement(r);
        }
        // A wide bucket's entries may not fit the narrower one they moved to: those sharing more bits move on, and
        // whatever still does not fit goes to the replacement cache.
        if (near.size > capacity.of(depth + 1) && canSplit(depth + 1)) {
            split();
        }
        trim(depth + 1);
    }

    /** Moves entries beyond {@code bucket}'s capacity to its replacement cache: never-answered ones first, newest first. */
    private void trim(int bucket) {
        KBucket b = buckets.get(bucket);
        while (b.size > capacity.of(bucket)) {
            int victim = -1;
            for (int e = 0; e < entries.size(); e++) {
                if (entries.bucket(e) == bucket
                        && (victim < 0 || (entries.lastReply(e) < 0 ? 1 : 0) >= (entries.lastReply(victim) < 0 ? 1 : 0))) {
                    victim = e;
                }
            }
            Contact moved = entries.contact(victim);
            remove(victim);
            b.cacheReplacement(moved);
        }
    }

    /** The bits entry {@code e}'s id shares with ours. */
    private int commonPrefixLength(int e) {
        long x = entries.word(e, 0) ^ own0;
        if (x != 0) {
            return Long.numberOfLeadingZeros(x);
        }
        x = entries.word(e, 1) ^ own1;
        if (x != 0) {
            return 64 + Long.numberOfLeadingZeros(x);
        }
        x = entries.word(e, 2) ^ own2;
        return x != 0 ? 128 + Long.numberOfLeadingZeros(x) - 32 : NodeId.BITS;
    }

    private int bucketFor(NodeId id) {
        return Math.min(own.commonPrefixLength(id), buckets.size() - 1);
    }

    private int find(int bucket, NodeId id) {
        return entries.find(bucket, id.word(0), id.word(1), id.word(2));
    }

    private int findAnywhere(Contact c) {
        int e = find(bucketFor(c.id()), c.id());
        return e >= 0 ? e : entries.findAddress(c.address());
    }

    /** In {@code bucket}, the least recently active entry in state {@code wanted} (the first such on a tie), or -1. */
    private int worst(int bucket, long nowMillis, NodeState wanted) {
        int worst = -1;
        for (int e = 0; e < entries.size(); e++) {
            if (entries.bucket(e) == bucket && entries.state(e, nowMillis) == wanted
                    && (worst < 0 || entries.lastActive(e) < entries.lastActive(worst))) {
                worst = e;
            }
        }
        return worst;
    }

    /** The first entry of {@code bucket} whose id is not valid for its IP under BEP 42, or -1. */
    private int firstInsecure(int bucket) {
        for (int e = 0; e < entries.size(); e++) {
            if (entries.bucket(e) == bucket && !entries.secure(e)) {
                return e;
            }
        }
        return -1;
    }

    /** In a full bucket that {@code id} would go to, the least recently active questionable node, to ping. */
    public Optional<Contact> questionableToPing(NodeId id, long nowMillis) {
        int bucket = bucketFor(id);
        if (!isFull(bucket)) {
            return Optional.empty();
        }
        int e = worst(bucket, nowMillis, NodeState.QUESTIONABLE);
        return e < 0 ? Optional.empty() : Optional.of(entries.contact(e));
    }

    /**
     * Up to {@code k} contacts that are not bad, closest to {@code target} first.
     */
    public List<Contact> closest(NodeId target, int k) {
        int[] picked = closestSlots(target, k);
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
        int[] picked = closestSlots(target, among);
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

    /** {@link #closest} as compact node infos, the form a find_node or get_peers answer carries. */
    public List<CompactNodeInfo> closestCompact(NodeId target, int k) {
        int[] picked = closestSlots(target, k);
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

    /**
     * The slots of up to {@code k} entries that are not bad, closest to {@code target} first: one pass over the
     * table keeping the nearest {@code k} so far in order (an entry farther than the farthest kept, once
     * {@code k} are kept, costs one comparison).
     */
    private int[] closestSlots(NodeId target, int k) {
        long t0 = target.word(0);
        long t1 = target.word(1);
        long t2 = target.word(2);
        int[] picked = new int[Math.min(entries.size(), k)];
        int n = 0;
        for (int e = 0; e < entries.size(); e++) {
            if (entries.failures(e) >= KBucket.MAX_FAILURES
                    || n == picked.length && (n == 0 || entries.compareDistance(e, picked[n - 1], t0, t1, t2) > 0)) {
                continue;
            }
            int i = Math.min(n, picked.length - 1);
            while (i > 0 && entries.compareDistance(e, picked[i - 1], t0, t1, t2) < 0) {
                picked[i] = picked[i - 1];
                i--;
            }
            picked[i] = e;
            n = Math.min(n + 1, picked.length);
        }
        return n == picked.length ? picked : Arrays.copyOf(picked, n);
    }

    /** Up to {@code max} good contacts, most recently verified first (for bootstrap lists and saving). */
    public List<Contact> goodContacts(int max, long nowMillis) {
        List<Integer> good = new ArrayList<>();
        for (int b = 0; b < buckets.size(); b++) {
            for (int e = 0; e < entries.size(); e++) {
                if (entries.bucket(e) == b && entries.state(e, nowMillis) == NodeState.GOOD) {
                    good.add(e);
                }
            }
        }
        good.sort((x, y) -> Long.compare(entries.lastReply(y), entries.lastReply(x)));
        return good.stream().limit(max).map(entries::contact).toList();
    }

    /** Every contact in the table, in bucket order. */
    public List<Contact> contacts() {
        List<Contact> all = new ArrayList<>(size());
        for (int b = 0; b < buckets.size(); b++) {
            for (int e = 0; e < entries.size(); e++) {
                if (entries.bucket(e) == b) {
                    all.add(entries.contact(e));
                }
            }
        }
        return all;
    }

    /**
     * True if {@code c} (this id at this address) is in the table and has answered one of our queries: its
     * address was proven by a round trip, so a query claiming to come from it is not a stranger's.
     */
    public boolean hasAnswered(Contact c) {
        int e = find(bucketFor(c.id()), c.id());
        return e >= 0 && entries.lastReply(e) >= 0 && entries.address(e).equals(c.address());
    }

    public Optional<NodeState> stateOf(Contact c, long nowMillis) {
        int e = find(bucketFor(c.id()), c.id());
        return e < 0 ? Optional.empty() : Optional.of(entries.state(e, nowMillis));
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
        return entries.size();
    }

    /** How many entries bucket {@code bucket} holds now (0 = farthest from our id). */
    public int bucketSize(int bucket) {
        return buckets.get(bucket).size;
    }

    public BucketCapacity capacity() {
        return capacity;
    }

    public int bucketCount() {
        return buckets.size();
    }

    public int replacementCount() {
        return buckets.stream().mapToInt(KBucket::replacementCount).sum();
    }

    /** Throws {@link IllegalStateException} if a structural invariant is broken (used by tests after every step). */
    public void checkInvariants() {
        RoutingTableInvariants.check(own, buckets, entries, capacity);
    }
}
