package io.kadtorrent.dht.peers;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Peers announced to this node (BEP 5 announce_peer), each kept 30 minutes after its last
 * announce. Bounded: at most {@link #MAX_PEERS_PER_TORRENT} per info_hash (the oldest make
 * room) and {@link #MAX_TORRENTS} info_hashes and {@link #MAX_PEERS_TOTAL} peers in all (new
 * ones are refused when full). Engine-thread only.
 */
public final class PeerStore {

    public static final long PEER_TTL_MILLIS = 30 * 60_000L; // BEP 5 practice: announces expire after 30 min
    public static final int MAX_PEERS_PER_TORRENT = 256;
    public static final int MAX_TORRENTS = 4_096;
    public static final int MAX_PEERS_TOTAL = 32_768;
    /** Most peers in one get_peers reply: 50 x 8 bytes keeps the datagram well under 1,500 bytes. */
    public static final int MAX_VALUES_PER_REPLY = 50;

    private final Map<InfoHash, LinkedHashMap<InetSocketAddress, Long>> byTorrent = new HashMap<>();
    private int total;
    private long nextExpiryMillis = Long.MAX_VALUE;

    /** Records (or refreshes) {@code peer} for {@code infoHash}; false when the store is full. */
    public boolean add(InfoHash infoHash, InetSocketAddress peer, long nowMillis) {
        LinkedHashMap<InetSocketAddress, Long> peers = byTorrent.get(infoHash);
        if (peers == null) {
            if (byTorrent.size() >= MAX_TORRENTS || total >= MAX_PEERS_TOTAL) {
                return false;
            }
            peers = new LinkedHashMap<>();
            byTorrent.put(infoHash, peers);
        }
        if (peers.remove(peer) != null) {
            total--;
        } else if (total >= MAX_PEERS_TOTAL) {
            return false;
        }
        if (peers.size() >= MAX_PEERS_PER_TORRENT) {
            Iterator<InetSocketAddress> oldest = peers.keySet().iterator();
            oldest.next();
            oldest.remove();
            total--;
        }
        peers.put(peer, nowMillis + PEER_TTL_MILLIS);
        nextExpiryMillis = Math.min(nextExpiryMillis, nowMillis + PEER_TTL_MILLIS);
        total++;
        return true;
    }

    /** Up to {@link #MAX_VALUES_PER_REPLY} live peers of {@code infoHash}, most recently announced first. */
    public List<InetSocketAddress> values(InfoHash infoHash, long nowMillis) {
        LinkedHashMap<InetSocketAddress, Long> peers = byTorrent.get(infoHash);
        if (peers == null) {
            return List.of();
        }
        List<InetSocketAddress> live = new ArrayList<>();
        peers.forEach((peer, expires) -> {
            if (expires > nowMillis) {
                live.add(peer);
            }
        });
        int from = Math.max(0, live.size() - MAX_VALUES_PER_REPLY);
        List<InetSocketAddress> newest = new ArrayList<>(live.subList(from, live.size()));
        Collections.reverse(newest);
        return newest;
    }

    /** Drops expired peers and empty torrents. */
    public void expire(long nowMillis) {
        nextExpiryMillis = Long.MAX_VALUE;
        for (Iterator<LinkedHashMap<InetSocketAddress, Long>> t = byTorrent.values().iterator(); t.hasNext(); ) {
            LinkedHashMap<InetSocketAddress, Long> peers = t.next();
            int before = peers.size();
            peers.values().removeIf(expires -> expires <= nowMillis);
            total -= before - peers.size();
            if (peers.isEmpty()) {
                t.remove();
            } else { // insertion order is expiry order: a re-announce moves a peer to the end
                nextExpiryMillis = Math.min(nextExpiryMillis, peers.values().iterator().next());
            }
        }
    }

    /** When the earliest stored peer expires, or {@link Long#MAX_VALUE} when the store is empty. */
    public long nextExpiryMillis() {
        return nextExpiryMillis;
    }

    /** Every info_hash with at least one stored peer (for BEP 51 samples). */
    public List<InfoHash> infoHashes() {
        return List.copyOf(byTorrent.keySet());
    }

    public int torrentCount() {
        return byTorrent.size();
    }

    public int peerCount() {
        return total;
    }
}
