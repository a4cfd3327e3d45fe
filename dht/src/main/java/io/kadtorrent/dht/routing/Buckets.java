package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The k-bucket structure of one {@link RoutingTable}: its entries sorted into buckets by the bits their ids share
 * with ours, where bucket {@code i} (all but the last) holds ids sharing exactly {@code i} leading bits and the last,
 * the only one that splits, holds the rest. BEP 5's rules for what enters or leaves live in {@link RoutingTable};
 * this class only places, moves and scans entries. Engine-thread only.
 */
final class Buckets {

    private final NodeId own;
    private final long own0;
    private final long own1;
    private final long own2;
    private final List<KBucket> kBuckets = new ArrayList<>();
    private final TableEntries entries = new TableEntries();
    private final BucketCapacity capacity;

    Buckets(NodeId own, long nowMillis, BucketCapacity capacity) {
        this.own = own;
        this.capacity = capacity;
        this.own0 = own.word(0);
        this.own1 = own.word(1);
        this.own2 = own.word(2);
        kBuckets.add(new KBucket(nowMillis));
    }

    TableEntries entries() {
        return entries;
    }

    KBucket get(int bucket) {
        return kBuckets.get(bucket);
    }

    int count() {
        return kBuckets.size();
    }

    BucketCapacity capacity() {
        return capacity;
    }

    boolean isFull(int bucket) {
        return kBuckets.get(bucket).size >= capacity.of(bucket);
    }

    /** Appends an entry for {@code c} to {@code bucket}; returns its slot. */
    int add(Contact c, int bucket, long nowMillis) {
        kBuckets.get(bucket).size++;
        return entries.add(c, bucket, nowMillis);
    }

    void remove(int e) {
        kBuckets.get(entries.bucket(e)).size--;
        entries.remove(e);
    }

    boolean canSplit(int bucket) {
        return bucket == kBuckets.size() - 1 && kBuckets.size() < NodeId.BITS;
    }

    /** Splits the last bucket: nodes sharing exactly {@code n-1} bits with us stay, the rest move on. */
    void split() {
        int depth = kBuckets.size() - 1;
        KBucket old = kBuckets.get(depth);
        KBucket near = new KBucket(old.lastChangedMillis);
        kBuckets.add(near);
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
        KBucket b = kBuckets.get(bucket);
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

    int bucketFor(NodeId id) {
        return Math.min(own.commonPrefixLength(id), kBuckets.size() - 1);
    }

    /** The slot of {@code id} in {@code bucket}, or -1. */
    int find(int bucket, NodeId id) {
        return entries.find(bucket, id.word(0), id.word(1), id.word(2));
    }

    /** The slot of the entry with {@code c}'s id, else of the one at its address, or -1. */
    int findAnywhere(Contact c) {
        int e = find(bucketFor(c.id()), c.id());
        return e >= 0 ? e : entries.findAddress(c.address());
    }

    /** In {@code bucket}, the least recently active entry in state {@code wanted} (the first such on a tie), or -1. */
    int worst(int bucket, long nowMillis, NodeState wanted) {
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
    int firstInsecure(int bucket) {
        for (int e = 0; e < entries.size(); e++) {
            if (entries.bucket(e) == bucket && !entries.secure(e)) {
                return e;
            }
        }
        return -1;
    }

    /**
     * The slots of up to {@code k} entries that are not bad, closest to {@code target} first: one pass over the
     * table keeping the nearest {@code k} so far in order (an entry farther than the farthest kept, once
     * {@code k} are kept, costs one comparison).
     */
    int[] closestSlots(NodeId target, int k) {
        return closestSlots(target, k, KBucket.MAX_FAILURES);
    }

    /** As {@link #closestSlots(NodeId, int)}, leaving out entries whose last {@code maxFailures} queries failed. */
    int[] closestSlots(NodeId target, int k, int maxFailures) {
        long t0 = target.word(0);
        long t1 = target.word(1);
        long t2 = target.word(2);
        int[] picked = new int[Math.min(entries.size(), k)];
        int n = 0;
        for (int e = 0; e < entries.size(); e++) {
            if (entries.failures(e) >= maxFailures
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

    /** The slots of every entry, in bucket order (each bucket's in the order they joined it). */
    int[] slotsInBucketOrder() {
        int[] slots = new int[entries.size()];
        int n = 0;
        for (int b = 0; b < kBuckets.size(); b++) {
            for (int e = 0; e < entries.size(); e++) {
                if (entries.bucket(e) == b) {
                    slots[n++] = e;
                }
            }
        }
        return slots;
    }

    int replacementCount() {
        return kBuckets.stream().mapToInt(KBucket::replacementCount).sum();
    }

    /** Throws {@link IllegalStateException} if a structural invariant is broken. */
    void checkInvariants() {
        RoutingTableInvariants.check(own, kBuckets, entries, capacity);
    }
}
