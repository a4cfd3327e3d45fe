package io.kadtorrent.engine.sim;

/** How a simulated peer's runtime treats what its (real, honest) core asks for. */
enum Behaviour {
    HONEST,
    /** Downloads but never uploads: its unchokes are never sent, so peers never ask it for blocks. */
    FREE_RIDER,
    /** Flips a byte in every block it uploads. */
    CORRUPT,
    /** Answers a request with the bytes of another block under the requested label. */
    WRONG_BLOCK,
    /** Answers a request with the right bytes of another block, labelled as that other block. */
    MISLABEL,
    /** Also sends a stream of blocks nobody asked for on every connection. */
    BLOCK_FLOOD,
    /** Also sends a stream of keep-alives on every connection. */
    KEEPALIVE_FLOOD,
    /** Both floods at once: the attacker. */
    FLOOD,
    /** Honest, but its handshake does not offer the Fast extension (BEP 6), like an older client. */
    NO_FAST;

    boolean honest() {
        return this == HONEST || this == NO_FAST;
    }
}
