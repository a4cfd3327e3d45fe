package io.kadtorrent.client.crash;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * When the crash harness kills a process: a seeded random source and how many kills a scenario makes.
 * {@code -Dcrash.kills=N} sets the count (the build's default is a short run, the {@code crash} profile a
 * long one) and {@code -Dcrash.seed=S} replays a run; every scenario prints the seed it used.
 */
public final class KillSchedule {

    public static final String KILLS_PROPERTY = "crash.kills";
    public static final String SEED_PROPERTY = "crash.seed";
    private static final int DEFAULT_KILLS = 3;

    private final long seed;
    private final int kills;
    private final SplittableRandom random;

    private KillSchedule(long seed, int kills) {
        if (kills < 1) {
            throw new IllegalArgumentException("crash.kills must be >= 1, got " + kills);
        }
        this.seed = seed;
        this.kills = kills;
        this.random = new SplittableRandom(seed);
    }

    /**
     * The schedule the system properties ask for; without {@code crash.seed}, a seed of its own per
     * scenario ({@code salt}), so the build is deterministic.
     */
    public static KillSchedule fromSystemProperties(long salt) {
        String seed = System.getProperty(SEED_PROPERTY, "");
        String kills = System.getProperty(KILLS_PROPERTY, "");
        return new KillSchedule(seed.isBlank() ? 0x6b696c6cL ^ salt : Long.parseLong(seed.trim()),
                kills.isBlank() ? DEFAULT_KILLS : Integer.parseInt(kills.trim()));
    }

    public long seed() {
        return seed;
    }

    public int kills() {
        return kills;
    }

    /** A delay drawn uniformly from {@code [0, max]}, in milliseconds. */
    public Duration delayUpTo(Duration max) {
        return Duration.ofMillis(random.nextLong(max.toMillis() + 1));
    }

    /** A number drawn uniformly from {@code [0, bound)} ({@code 0} when {@code bound <= 0}). */
    public long below(long bound) {
        return bound <= 0 ? 0 : random.nextLong(bound);
    }

    /** A number drawn uniformly from {@code [from, to]}. */
    public int between(int from, int to) {
        return random.nextInt(from, to + 1);
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    @Override
    public String toString() {
        return "-D" + SEED_PROPERTY + "=" + seed + " -D" + KILLS_PROPERTY + "=" + kills;
    }
}
