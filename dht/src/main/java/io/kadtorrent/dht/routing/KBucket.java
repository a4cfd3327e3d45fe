package io.kadtorrent.dht.routing;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * What one k-bucket keeps beside its entries (which live in the table's {@link TableEntries}): when it
 * last changed, and a replacement cache of at most {@link #K} contacts seen while it was full (BEP 5).
 * Confined to the engine thread.
 */
public final class KBucket {

    public static final int K = 8; // BEP 5 bucket size
    static final int MAX_FAILURES = 2; // BEP 5: "fails to respond to multiple queries in a row" -> bad
    static final long GOOD_FOR_MILLIS = 15 * 60_000L; // BEP 5: good for 15 minutes after activity

    private ArrayDeque<Contact> replacements; // created on first use: most buckets never need one
    long lastChangedMillis;
    int size; // its entries in the table's TableEntries

    KBucket(long nowMillis) {
        this.lastChangedMillis = nowMillis;
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
