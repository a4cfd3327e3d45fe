package io.kadtorrent.engine.discovery;

import java.time.Duration;

/**
 * Timing of DHT peer discovery for one torrent.
 *
 * @param announcePort   TCP port we accept peer connections on, announced with announce_peer
 * @param firstLookupGap time before the second lookup; while the swarm needs peers the gap then
 *                       doubles up to {@code lookupInterval}, so peers that announce just after us
 *                       (a swarm starting together) are found within seconds
 * @param lookupInterval time between get_peers lookups while the swarm needs peers
 * @param maxBackoff     longest time between lookups once the swarm has enough peers (the
 *                       interval doubles up to it) or while lookups fail
 * @param announceInterval time between announce_peer rounds (BEP 5 peers expire after 30 min)
 */
public record DiscoveryConfig(int announcePort, Duration firstLookupGap, Duration lookupInterval,
                              Duration maxBackoff, Duration announceInterval) {

    public DiscoveryConfig {
        if (announcePort < 1 || announcePort > 65_535) {
            throw new IllegalArgumentException("announce port must be 1..65535");
        }
        requirePositive(firstLookupGap, "firstLookupGap");
        requirePositive(lookupInterval, "lookupInterval");
        if (firstLookupGap.compareTo(lookupInterval) > 0) {
            throw new IllegalArgumentException("firstLookupGap must be <= lookupInterval");
        }
        requirePositive(announceInterval, "announceInterval");
        if (maxBackoff.compareTo(lookupInterval) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= lookupInterval");
        }
    }

    /**
     * Lookups 2, 4, 8, 16 s apart at first, then every 30 s while short of peers, up to 15 min
     * apart when not; announce every 15 min.
     */
    public static DiscoveryConfig defaults(int announcePort) {
        return new DiscoveryConfig(announcePort, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofMinutes(15));
    }

    /** The same with {@code interval} between lookups (and a first gap no longer than it). */
    public DiscoveryConfig withLookupInterval(Duration interval) {
        return new DiscoveryConfig(announcePort, firstLookupGap.compareTo(interval) > 0 ? interval : firstLookupGap,
                interval, maxBackoff.compareTo(interval) < 0 ? interval : maxBackoff, announceInterval);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
