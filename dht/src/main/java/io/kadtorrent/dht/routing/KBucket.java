package io.kadtorrent.dht.routing;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One k-bucket: at most {@link #K} entries plus a replacement cache of at most K contacts seen
 * while it was full (BEP 5). Confined to the engine thread.
 */
public final class KBucket {

    public static final int K = 8; // BEP 5 bucket size
    static final int MAX_FAILURES = 2; // BEP 5: "fails to respond to multiple queries in a row" -> bad
    static final long GOOD_FOR_MILLIS = 15 * 60_000L; // BEP 5: good for 15 minutes after activity

    /** A bucket entry's mutable liveness record. */
    static final class Entry {
        final Contact contact;
        final int addressHash; // the address's hash, checked before equals: a table scan touches no address object
        long lastReplyMillis = -1;
        long lastActiveMillis;
        int failures;

        Entry(Contact contact, long nowMillis) {
            this.contact = contact;
            this.addressHash = contact.address().hashCode();
            this.lastActiveMillis = nowMillis;
        }

        NodeState state(long nowMillis) {
            if (failures >= MAX_FAILURES) {
                return NodeState.BAD;
            }
            if (lastReplyMillis >= 0 && nowMillis - lastActiveMillis < GOOD_FOR_MILLIS) {
                return NodeState.GOOD;
            }
            return NodeState.QUESTIONABLE;
        }
    }

    final List<Entry> entries = new ArrayList<>(K);
    private ArrayDeque<Contact> replacements; // created on first use: most buckets never need one
    long lastChangedMillis;

    KBucket(long nowMillis) {
        this.lastChangedMillis = nowMillis;
    }

    boolean isFull() {
        return entries.size() >= K;
    }

    /** The first entry whose id is not valid for its IP under BEP 42, or null. */
    Entry firstInsecure() {
        for (Entry e : entries) {
            if (!e.contact.hasSecureId()) {
                return e;
            }
        }
        return null;
    }

    Entry find(Contact c) {
        for (Entry e : entries) {
            if (e.contact.id().equals(c.id())) {
                return e;
            }
        }
        return null;
    }

    Entry findAddress(InetSocketAddress address, int hash) {
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (e.addressHash == hash && e.contact.address().equals(address)) {
                return e;
            }
        }
        return null;
    }

    Entry worst(long nowMillis, NodeState wanted) {
        Entry worst = null;
        for (Entry e : entries) {
            if (e.state(nowMillis) == wanted && (worst == null || e.lastActiveMillis < worst.lastActiveMillis)) {
                worst = e;
            }
        }
        return worst;
    }

    /** Keeps {@code c} as the newest replacement candidate, evicting the oldest beyond K. */
    void cacheReplacement(Contact c) {
        if (replacements == null) {
            replacements = new ArrayDeque<>(4);
        }
        replacements.removeIf(r -> r.id().equals(c.id()) || r.address().equals(c.address()));
        replacements.addLast(c);
        while (replacements.size() > K) {
            replacements.removeFirst();
        }
    }

    /** The newest replacement candidate, removed from the cache, or null. */
    Contact takeReplacement() {
        return replacements == null ? null : replacements.pollLast();
    }

    void removeReplacement(Contact c) {
        if (replacements != null) {
            replacements.removeIf(r -> r.id().equals(c.id()));
        }
    }

    List<Contact> replacementList() {
        return replacements == null ? List.of() : List.copyOf(replacements);
    }

    int replacementCount() {
        return replacements == null ? 0 : replacements.size();
    }

    Iterator<Contact> drainReplacements() {
        ArrayDeque<Contact> old = replacements;
        replacements = null;
        return old == null ? List.<Contact>of().iterator() : old.iterator();
    }
}
