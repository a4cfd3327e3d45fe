package io.kadtorrent.engine.swarm;

import java.util.HexFormat;

/**
 * The swarm core's settings for one torrent.
 *
 * @param maxPeers     connections kept (incoming and outgoing together)
 * @param unchokeSlots peers uploaded to at once, the optimistic unchoke included
 * @param maxHalfOpen  outgoing connections being opened at once
 * @param ourPeerId    our peer_id in hex, which decides which of two connections to the same peer stays
 *                     (empty when unknown: then the older one stays)
 */
public record SwarmConfig(int maxPeers, int unchokeSlots, int maxHalfOpen, String ourPeerId) {

    public SwarmConfig {
        if (maxPeers < 1 || unchokeSlots < 1 || maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxPeers, unchokeSlots and maxHalfOpen must be >= 1");
        }
        if (!ourPeerId.isEmpty() && !ourPeerId.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("ourPeerId must be 40 lowercase hex digits: " + ourPeerId);
        }
    }

    public static SwarmConfig defaults() {
        return new SwarmConfig(50, 8, 8, "");
    }

    public SwarmConfig withMaxPeers(int n) {
        return new SwarmConfig(n, unchokeSlots, maxHalfOpen, ourPeerId);
    }

    public SwarmConfig withUnchokeSlots(int n) {
        return new SwarmConfig(maxPeers, n, maxHalfOpen, ourPeerId);
    }

    public SwarmConfig withOurPeerId(byte[] peerId) {
        return new SwarmConfig(maxPeers, unchokeSlots, maxHalfOpen, HexFormat.of().formatHex(peerId));
    }
}
