package io.kadtorrent.dht.sim;

/**
 * How a {@link SimulatedNetwork} runs its events: split into {@code shards} (node index mod shards) run by
 * {@code threads} threads, the caller's among them. The outcome is the same for every choice.
 */
public record Parallelism(int shards, int threads) {

    /** One shard on the caller's thread. */
    public static final Parallelism SEQUENTIAL = new Parallelism(1, 1);

    public Parallelism {
        if (shards < 1 || threads < 1) {
            throw new IllegalArgumentException("shards and threads must be positive: " + shards + ", " + threads);
        }
    }

    /** {@code threads} shards, one per thread. */
    public static Parallelism threads(int threads) {
        return new Parallelism(threads, threads);
    }
}
