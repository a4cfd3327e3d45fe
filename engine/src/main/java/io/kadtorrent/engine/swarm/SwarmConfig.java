package io.kadtorrent.engine.swarm;

/**
 * The swarm core's settings for one torrent.
 *
 * @param maxPeers     connections kept (incoming and outgoing together)
 * @param unchokeSlots peers uploaded to at once, the optimistic unchoke included
 * @param maxHalfOpen  outgoing connections being opened at once
 */
public record SwarmConfig(int maxPeers, int unchokeSlots, int maxHalfOpen) {

    public SwarmConfig {
        if (maxPeers < 1 || unchokeSlots < 1 || maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxPeers, unchokeSlots and maxHalfOpen must be >= 1");
        }
    }

    public static SwarmConfig defaults() {
        return new SwarmConfig(50, 8, 8);
    }

    public SwarmConfig withMaxPeers(int n) {
        return new SwarmConfig(n, unchokeSlots, maxHalfOpen);
    }

    public SwarmConfig withUnchokeSlots(int n) {
        return new SwarmConfig(maxPeers, n, maxHalfOpen);
    }
}
