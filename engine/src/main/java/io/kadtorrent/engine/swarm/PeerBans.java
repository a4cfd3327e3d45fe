package io.kadtorrent.engine.swarm;

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
 * peer's address (ip and port) and its peer_id, since loopback peers all share one ip. Bounded;
 * confined to the core's thread.
 */
final class PeerBans {

    static final int STRIKES_TO_BAN = 3;
    static final int MAX_BANS = 10_000;

    private final Set<InetSocketAddress> addresses = new HashSet<>();
    private final Set<String> peerIds = new HashSet<>();
    private final Map<PeerLink, Integer> strikes = new HashMap<>();

    boolean isBanned(InetSocketAddress address, byte[] peerId) {
        return addresses.contains(address) || peerIds.contains(HexFormat.of().formatHex(peerId));
    }

    boolean isBanned(InetSocketAddress address) {
        return addresses.contains(address);
    }

    /** Records that a piece built from {@code contributors}' blocks failed; returns who must now be banned. */
    List<PeerLink> blame(List<PeerLink> contributors) {
        Set<PeerLink> distinct = new LinkedHashSet<>(contributors);
        List<PeerLink> banned = new ArrayList<>();
        for (PeerLink c : distinct) {
            int n = strikes.merge(c, 1, Integer::sum);
            if (distinct.size() == 1 || n >= STRIKES_TO_BAN) {
                strikes.remove(c);
                banned.add(c);
            }
        }
        return banned;
    }

    /** Refuses {@code address} and {@code peerId} from now on. */
    void ban(InetSocketAddress address, byte[] peerId) {
        if (addresses.size() < MAX_BANS) {
            addresses.add(address);
            peerIds.add(HexFormat.of().formatHex(peerId));
        }
    }

    /** Forgets the strikes of a connection that ended. */
    void forget(PeerLink link) {
        strikes.remove(link);
    }
}
