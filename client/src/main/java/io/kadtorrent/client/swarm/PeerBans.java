package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who sent data that failed a piece hash. A peer that alone supplied a failed piece is banned at
 * once; when several peers supplied blocks, each gets a strike and three strikes ban. Bans cover the
 * peer's address (ip and port) and its peer_id, since loopback peers all share one ip. Guarded by
 * the swarm's lock.
 */
final class PeerBans {

    static final int STRIKES_TO_BAN = 3;

    private final Set<InetSocketAddress> addresses = new HashSet<>();
    private final Set<String> peerIds = new HashSet<>();
    private final Map<PeerConnection, Integer> strikes = new HashMap<>();

    boolean isBanned(InetSocketAddress address) {
        return addresses.contains(address);
    }

    boolean isBanned(byte[] peerId) {
        return peerIds.contains(HexFormat.of().formatHex(peerId));
    }

    /** Records that piece {@code index}, built from {@code contributors}' blocks, failed; returns who is now banned. */
    List<PeerConnection> blame(int index, List<PeerConnection> contributors) {
        Set<PeerConnection> distinct = new LinkedHashSet<>(contributors);
        List<PeerConnection> banned = new ArrayList<>();
        for (PeerConnection c : distinct) {
            int n = strikes.merge(c, 1, Integer::sum);
            if (distinct.size() == 1 || n >= STRIKES_TO_BAN) {
                ban(c);
                banned.add(c);
            }
        }
        return banned;
    }

    private void ban(PeerConnection c) {
        addresses.add(c.remoteAddress());
        peerIds.add(HexFormat.of().formatHex(c.remote().peerId()));
        strikes.remove(c);
    }
}
