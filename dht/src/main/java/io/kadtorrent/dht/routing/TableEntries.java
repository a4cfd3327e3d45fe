package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * Every entry of one routing table, in parallel arrays rather than an object per entry: the id as three
 * numbers ({@link NodeId#word}), the address (the caller's object, shared, not copied), its hash, the
 * liveness times, the failure count, the bucket and the measured round trip. About 52 bytes an entry where an entry, a contact
 * and a decoded id took about 120: a simulation of a million nodes keeps tens of millions of entries.
 * Slots keep insertion order (a removal shifts the later ones down), so each bucket's entries are in
 * the order they joined it, as BEP 5's least-recently-seen rules expect. Engine-thread only.
 */
final class TableEntries {

    private static final int SECURE = 0x80; // flag bit beside the failure count: the id is valid for its IP (BEP 42)

    private long[] ids = new long[3 * 8];
    private InetSocketAddress[] addresses = new InetSocketAddress[8];
    private int[] addressHashes = new int[8];
    private long[] lastReply = new long[8];
    private long[] lastActive = new long[8];
    private byte[] flags = new byte[8];
    private byte[] buckets = new byte[8];
    private short[] roundTrips = new short[8]; // smoothed ms of its replies to our queries; 0 until one is measured
    private int size;

    int size() {
        return size;
    }

    /** Appends an entry for {@code c} in {@code bucket}; returns its slot. */
    int add(Contact c, int bucket, long nowMillis) {
        if (size == addresses.length) {
            grow();
        }
        int s = size++;
        NodeId id = c.id();
        ids[3 * s] = id.word(0);
        ids[3 * s + 1] = id.word(1);
        ids[3 * s + 2] = id.word(2);
        addresses[s] = c.address();
        addressHashes[s] = c.address().hashCode();
        lastReply[s] = -1;
        lastActive[s] = nowMillis;
        flags[s] = (byte) (c.hasSecureId() ? SECURE : 0);
        buckets[s] = (byte) bucket;
        roundTrips[s] = 0;
        return s;
    }

    private void grow() {
        int n = addresses.length + (addresses.length >> 1);
        ids = Arrays.copyOf(ids, 3 * n);
        addresses = Arrays.copyOf(addresses, n);
        addressHashes = Arrays.copyOf(addressHashes, n);
        lastReply = Arrays.copyOf(lastReply, n);
        lastActive = Arrays.copyOf(lastActive, n);
        flags = Arrays.copyOf(flags, n);
        buckets = Arrays.copyOf(buckets, n);
        roundTrips = Arrays.copyOf(roundTrips, n);
    }

    void remove(int s) {
        int tail = size - s - 1;
        System.arraycopy(ids, 3 * s + 3, ids, 3 * s, 3 * tail);
        System.arraycopy(addresses, s + 1, addresses, s, tail);
        System.arraycopy(addressHashes, s + 1, addressHashes, s, tail);
        System.arraycopy(lastReply, s + 1, lastReply, s, tail);
        System.arraycopy(lastActive, s + 1, lastActive, s, tail);
        System.arraycopy(flags, s + 1, flags, s, tail);
        System.arraycopy(buckets, s + 1, buckets, s, tail);
        System.arraycopy(roundTrips, s + 1, roundTrips, s, tail);
        size--;
        addresses[size] = null;
    }

    /** The slot holding {@code id} in {@code bucket}, or -1. */
    int find(int bucket, long w0, long w1, long w2) {
        for (int s = 0; s < size; s++) {
            if (ids[3 * s] == w0 && ids[3 * s + 1] == w1 && ids[3 * s + 2] == w2 && (buckets[s] & 0xff) == bucket) {
                return s;
            }
        }
        return -1;
    }

    /** The slot of the entry at {@code address}, or -1. */
    int findAddress(InetSocketAddress address) {
        int hash = address.hashCode();
        for (int s = 0; s < size; s++) {
            if (addressHashes[s] == hash && addresses[s].equals(address)) {
                return s;
            }
        }
        return -1;
    }

    int count(int bucket) {
        int n = 0;
        for (int s = 0; s < size; s++) {
            n += (buckets[s] & 0xff) == bucket ? 1 : 0;
        }
        return n;
    }

    int bucket(int s) {
        return buckets[s] & 0xff;
    }

    void moveTo(int s, int bucket) {
        buckets[s] = (byte) bucket;
    }

    long word(int s, int index) {
        return ids[3 * s + index];
    }

    NodeId id(int s) {
        return NodeId.ofWords(ids[3 * s], ids[3 * s + 1], ids[3 * s + 2]);
    }

    InetSocketAddress address(int s) {
        return addresses[s];
    }

    Contact contact(int s) {
        return new Contact(id(s), addresses[s]);
    }

    boolean secure(int s) {
        return (flags[s] & SECURE) != 0;
    }

    int failures(int s) {
        return flags[s] & 0x7f;
    }

    void setFailures(int s, int failures) {
        flags[s] = (byte) ((flags[s] & SECURE) | Math.min(failures, 0x7f));
    }

    long lastReply(int s) {
        return lastReply[s];
    }

    long lastActive(int s) {
        return lastActive[s];
    }

    /** Activity now; a reply also proves the node good again and clears its failures. */
    void touch(int s, long nowMillis, boolean replied) {
        lastActive[s] = nowMillis;
        if (replied) {
            lastReply[s] = nowMillis;
            setFailures(s, 0);
        }
    }

    /** The smoothed round trip of the entry's replies in ms, or 0 if none was measured. */
    int roundTrip(int s) {
        return roundTrips[s];
    }

    /** A reply took {@code millis}: smoothed with gain 1/4 (a node's link changes slowly, a datagram's jitter fast). */
    void sampleRoundTrip(int s, long millis) {
        int sample = (int) Math.max(1, Math.min(Short.MAX_VALUE, millis));
        roundTrips[s] = (short) (roundTrips[s] == 0 ? sample : (3 * roundTrips[s] + sample + 2) / 4);
    }

    /** BEP 5's node states: bad after repeated failures, good while recently active after a reply, else questionable. */
    NodeState state(int s, long nowMillis) {
        if (failures(s) >= KBucket.MAX_FAILURES) {
            return NodeState.BAD;
        }
        if (lastReply[s] >= 0 && nowMillis - lastActive[s] < KBucket.GOOD_FOR_MILLIS) {
            return NodeState.GOOD;
        }
        return NodeState.QUESTIONABLE;
    }

    /**
     * Compares the XOR distances of slots {@code a} and {@code b} to the target whose words are {@code t0..t2}.
     */
    int compareDistance(int a, int b, long t0, long t1, long t2) {
        int c = Long.compareUnsigned(ids[3 * a] ^ t0, ids[3 * b] ^ t0);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(ids[3 * a + 1] ^ t1, ids[3 * b + 1] ^ t1);
        return c != 0 ? c : Long.compare(ids[3 * a + 2] ^ t2, ids[3 * b + 2] ^ t2);
    }
}
