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
 * @param listenPort   our TCP port, told to peers (BEP 10 {@code p}) so they can call us back; 0 when unknown
 * @param redundantHaves announce a verified piece also to peers known to have it (libtorrent's
 *                     {@code send_redundant_have}). They cannot want it from us, but their choker needs these haves:
 *                     a peer that gave the piece away learns from them that its recipient passed it on
 *                     ({@code PeerState#hoards}), and it sees our progress. On by default; off saves the traffic.
 */
public record SwarmConfig(int maxPeers, int unchokeSlots, int maxHalfOpen, String ourPeerId, int listenPort,
                          boolean redundantHaves) {

    public SwarmConfig {
        if (maxPeers < 1 || unchokeSlots < 1 || maxHalfOpen < 1) {
            throw new IllegalArgumentException("maxPeers, unchokeSlots and maxHalfOpen must be >= 1");
        }
        if (listenPort < 0 || listenPort > 0xFFFF) {
            throw new IllegalArgumentException("listenPort must be 0..65535: " + listenPort);
        }
        if (!ourPeerId.isEmpty() && !ourPeerId.matches("[0-9a-f]{40}")) {
            throw new IllegalArgumentException("ourPeerId must be 40 lowercase hex digits: " + ourPeerId);
        }
    }

    public SwarmConfig(int maxPeers, int unchokeSlots, int maxHalfOpen, String ourPeerId, int listenPort) {
        this(maxPeers, unchokeSlots, maxHalfOpen, ourPeerId, listenPort, true);
    }

    public static SwarmConfig defaults() {
        return new SwarmConfig(50, 8, 8, "", 0, true);
    }

    public SwarmConfig withMaxPeers(int n) {
        return new SwarmConfig(n, unchokeSlots, maxHalfOpen, ourPeerId, listenPort, redundantHaves);
    }

    public SwarmConfig withUnchokeSlots(int n) {
        return new SwarmConfig(maxPeers, n, maxHalfOpen, ourPeerId, listenPort, redundantHaves);
    }

    public SwarmConfig withOurPeerId(byte[] peerId) {
        return new SwarmConfig(maxPeers, unchokeSlots, maxHalfOpen, HexFormat.of().formatHex(peerId), listenPort,
                redundantHaves);
    }

    public SwarmConfig withListenPort(int port) {
        return new SwarmConfig(maxPeers, unchokeSlots, maxHalfOpen, ourPeerId, port, redundantHaves);
    }

    public SwarmConfig withRedundantHaves(boolean on) {
        return new SwarmConfig(maxPeers, unchokeSlots, maxHalfOpen, ourPeerId, listenPort, on);
    }
}
