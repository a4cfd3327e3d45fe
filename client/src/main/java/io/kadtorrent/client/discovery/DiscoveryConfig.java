package io.kadtorrent.client.discovery;

import java.time.Duration;

/**
 * Timing of DHT peer discovery for one torrent.
 *
 * @param announcePort   TCP port we accept peer connections on, announced with announce_peer
 * @param lookupInterval time between get_peers lookups while the swarm needs peers
 * @param maxBackoff     longest time between lookups once the swarm has enough peers (the
 *                       interval doubles up to it) or while lookups fail
 * @param lookupTimeout  a lookup that has not completed by then counts as finished, so a
 *                       stalled DHT cannot stop discovery
 * @param announceInterval time between announce_peer rounds (BEP 5 peers expire after 30 min)
 */
public record DiscoveryConfig(int announcePort, Duration lookupInterval, Duration maxBackoff,
                              Duration lookupTimeout, Duration announceInterval) {

    public DiscoveryConfig {
        if (announcePort < 1 || announcePort > 65_535) {
            throw new IllegalArgumentException("announce port must be 1..65535");
        }
        requirePositive(lookupInterval, "lookupInterval");
        requirePositive(lookupTimeout, "lookupTimeout");
        requirePositive(announceInterval, "announceInterval");
        if (maxBackoff.compareTo(lookupInterval) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= lookupInterval");
        }
    }

    /** 30 s between lookups when short of peers, up to 15 min when not; announce every 15 min. */
    public static DiscoveryConfig defaults(int announcePort) {
        return new DiscoveryConfig(announcePort, Duration.ofSeconds(30), Duration.ofMinutes(15),
                Duration.ofSeconds(60), Duration.ofMinutes(15));
    }

    public DiscoveryConfig withLookupInterval(Duration interval) {
        return new DiscoveryConfig(announcePort, interval, maxBackoff.compareTo(interval) < 0 ? interval : maxBackoff,
                lookupTimeout, announceInterval);
    }

    private static void requirePositive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
