package io.kadtorrent.engine.sim;

/** How a {@link SimNetwork} carries frames. */
enum Transport {
    /**
     * Every frame on its own through its sender's upload capacity ({@link RoundRobinUplink}), and every
     * message, blocks included, encoded and decoded by the real codec: what the properties use.
     */
    EXACT,
    /**
     * For the scale benchmark: frames travel in trains ({@link BurstUplink}), and block payloads are
     * never made, a piece message carrying a {@link SyntheticBlock}; all other messages still go through
     * the real codec.
     */
    BULK
}
