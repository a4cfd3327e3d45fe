package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;

import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The nodes a lookup knows of, ordered by XOR distance to its target, each with its query
 * state and the node that told us of it. Bounded: beyond {@link #MAX_CANDIDATES} the farthest is
 * forgotten. One entry per id and per ip:port, so one host cannot crowd the set with invented ids.
 *
 * <p>A sorted array rather than a tree and a hash set: at most {@link #MAX_CANDIDATES} entries, each
 * with its distance as three numbers, so finding an id is a binary search without allocation, and a
 * lookup (a simulated million nodes run tens of millions of them) builds no tree nodes.
 */
final class Candidates {

    static final int MAX_CANDIDATES = 128;

    enum State { NOT_QUERIED, IN_FLIGHT, RESPONDED, FAILED }

    static final class Candidate {
        final Contact contact;
        final int depth;
        /** Who first named this node; null for a seed from our own routing table. */
        final NodeId referrer;
        /** A seed, or named by a second node at the same address: not one source's word alone. */
        boolean confirmed;
        /** Already counted against its referrer (a timeout or failure counts once). */
        boolean struck;
        /** Failed with its discredited referrer, not by its own silence: back if the referrer proves honest. */
        boolean dropped;
        State state = State.NOT_QUERIED;

        Candidate(Contact contact, int depth, NodeId referrer) {
            this.contact = contact;
            this.depth = depth;
            this.referrer = referrer;
            this.confirmed = referrer == null;
        }

        /** Only {@link #referrer} vouches for it, and it has not answered yet. */
        boolean unverified() {
            return !confirmed && state != State.RESPONDED;
        }
    }

    private final long t0;
    private final long t1;
    private final long t2;
    private Candidate[] sorted = new Candidate[16]; // nearest first
    /**
     * Beside {@link #sorted}, each one's XOR distance to the target as {@link NodeId#word} numbers, three per
     * candidate: the sort key, searched without touching the candidates themselves.
     */
    private long[] distances = new long[3 * 16];
    private int[] addressHashes = new int[16]; // beside sorted: a first check before comparing addresses
    private int size;

    Candidates(NodeId target) {
        this.t0 = target.word(0);
        this.t1 = target.word(1);
        this.t2 = target.word(2);
    }

    int size() {
        return size;
    }

    /** The {@code i}-th nearest candidate. */
    Candidate at(int i) {
        return sorted[i];
    }

    /**
     * Adds an unseen contact found at {@code depth} hops through {@code referrer} (null for a seed);
     * false if known or too far to keep. A known one named again by another node is confirmed.
     */
    boolean add(Contact c, int depth, NodeId referrer) {
        NodeId id = c.id();
        long d0 = id.word(0) ^ t0;
        long d1 = id.word(1) ^ t1;
        long d2 = id.word(2) ^ t2;
        int i = search(d0, d1, d2);
        if (i >= 0) {
            Candidate known = sorted[i];
            if (referrer != null && !referrer.equals(known.referrer) && known.contact.address().equals(c.address())) {
                known.confirmed = true;
            }
            return false;
        }
        if (holdsAddress(c.address())) {
            return false;
        }
        int at = -i - 1;
        if (at >= MAX_CANDIDATES) {
            return false; // farther than every one of a full set: it would be the one forgotten
        }
        if (size == sorted.length) {
            sorted = Arrays.copyOf(sorted, Math.min(MAX_CANDIDATES + 1, size * 2));
            distances = Arrays.copyOf(distances, 3 * sorted.length);
            addressHashes = Arrays.copyOf(addressHashes, sorted.length);
        }
        System.arraycopy(sorted, at, sorted, at + 1, size - at);
        System.arraycopy(distances, 3 * at, distances, 3 * at + 3, 3 * (size - at));
        System.arraycopy(addressHashes, at, addressHashes, at + 1, size - at);
        sorted[at] = new Candidate(c, depth, referrer);
        addressHashes[at] = c.address().hashCode();
        distances[3 * at] = d0;
        distances[3 * at + 1] = d1;
        distances[3 * at + 2] = d2;
        size++;
        if (size > MAX_CANDIDATES) {
            sorted[--size] = null; // the farthest is forgotten (not the new one: it sorts before it)
        }
        return true;
    }

    /** The candidate with id {@code id}, or null. */
    Candidate get(NodeId id) {
        int i = search(id.word(0) ^ t0, id.word(1) ^ t1, id.word(2) ^ t2);
        return i >= 0 ? sorted[i] : null;
    }

    private boolean holdsAddress(InetSocketAddress address) {
        int hash = address.hashCode();
        for (int i = 0; i < size; i++) {
            if (addressHashes[i] == hash && sorted[i].contact.address().equals(address)) {
                return true;
            }
        }
        return false;
    }

    /** The index of the candidate at distance {@code d0..d2}, or {@code -(insertion point) - 1}. */
    private int search(long d0, long d1, long d2) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Long.compareUnsigned(distances[3 * mid], d0);
            if (c == 0) {
                c = Long.compareUnsigned(distances[3 * mid + 1], d1);
                if (c == 0) {
                    c = Long.compare(distances[3 * mid + 2], d2); // 32 bits: never negative
                }
            }
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }
}
