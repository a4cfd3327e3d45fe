package io.kadtorrent.dht.routing;

/** What {@link RoutingTable} did with a contact it was told about. */
public enum InsertResult {
    /** Added to a bucket with room (possibly after splitting ours). */
    INSERTED,
    /** Already there: its timestamps were refreshed. */
    UPDATED,
    /** Took the place of a bad node. */
    REPLACED_BAD,
    /** A node whose id is valid for its IP (BEP 42) took the place of one whose id is not. */
    REPLACED_INSECURE,
    /** Bucket full of good or questionable nodes: kept in the bucket's replacement cache. */
    CACHED,
    /**
     * Not stored: an unverified node (it queried us) that would take a wide bucket's room beyond K. Ping it; its
     * answer brings it in as a verified node.
     */
    VERIFY_FIRST,
    /** Never stored: our own id, or an ip:port already held by another id. */
    REJECTED
}
