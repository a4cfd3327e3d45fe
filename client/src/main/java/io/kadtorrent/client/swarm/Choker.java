package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.wire.PeerMessage;

import java.util.Map;

/**
 * The simple unchoke policy for now: the first {@code slots} interested peers, in connection order,
 * are unchoked; everyone else is choked. Tit-for-tat comes with the swarm (issue 5).
 */
final class Choker {

    private static final PeerMessage CHOKE = new PeerMessage.Choke();
    private static final PeerMessage UNCHOKE = new PeerMessage.Unchoke();

    private final int slots;

    Choker(int slots) {
        this.slots = slots;
    }

    /** Re-applies the policy to all peers, sending choke/unchoke only where the state changes. */
    void rechoke(Map<PeerConnection, PeerState> peers) {
        int free = slots;
        for (Map.Entry<PeerConnection, PeerState> e : peers.entrySet()) {
            PeerState s = e.getValue();
            boolean unchoke = s.peerInterested && free > 0;
            if (unchoke) {
                free--;
            }
            if (unchoke && s.amChoking) {
                s.amChoking = false;
                e.getKey().send(UNCHOKE);
            } else if (!unchoke && !s.amChoking) {
                s.amChoking = true;
                s.uploadQueue.clear(); // BEP 3: choking discards the peer's pending requests
                e.getKey().send(CHOKE);
            }
        }
    }
}
