package io.kadtorrent.client.swarm;

import io.kadtorrent.client.net.PeerConnection;
import io.kadtorrent.client.wire.PeerMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Applies the {@link Choker}'s decisions to a swarm's connections: builds its snapshots from the
 * peers' state and sends choke/unchoke only where the state changes. Guarded by the swarm's lock.
 */
final class ChokeControl {

    private static final PeerMessage CHOKE = new PeerMessage.Choke();
    private static final PeerMessage UNCHOKE = new PeerMessage.Unchoke();

    private final Choker<PeerConnection> choker;

    /** {@code unchokeSlots} counts the optimistic slot too, so at least 1. */
    ChokeControl(int unchokeSlots, RandomGenerator random) {
        this.choker = new Choker<>(Math.max(0, unchokeSlots - 1), random);
    }

    /** Re-decides now; {@code seeding} ranks by our upload rate instead of the peers' download rate. */
    void rechoke(Map<PeerConnection, PeerState> peers, boolean seeding, Instant now, long nowNanos) {
        List<PeerSnapshot<PeerConnection>> snapshots = new ArrayList<>(peers.size());
        peers.forEach((c, s) -> snapshots.add(new PeerSnapshot<>(c, s.peerInterested, s.amInterested,
                (long) s.rateBytesPerSecond(), s.uploadRate.bytesPerSecond(nowNanos), s.connectedAt,
                Optional.ofNullable(s.lastBlockAt))));
        Set<PeerConnection> unchoked = choker.rechoke(now, seeding, snapshots).all();
        peers.forEach((c, s) -> {
            boolean unchoke = unchoked.contains(c);
            if (unchoke && s.amChoking) {
                s.amChoking = false;
                c.send(UNCHOKE);
            } else if (!unchoke && !s.amChoking) {
                s.amChoking = true;
                s.uploadQueue.clear(); // BEP 3: choking discards the peer's pending requests
                c.send(CHOKE);
            }
        });
    }
}
