package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.wire.PeerMessage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Applies the {@link Choker}'s decisions to the swarm core's peers: builds its snapshots from their
 * state and sends choke or unchoke only where the state changes. Confined to the core's thread.
 */
final class Choking {

    private final Choker<PeerLink> choker;
    private final Outbox out;

    /** {@code unchokeSlots} counts the optimistic slot too. */
    Choking(int unchokeSlots, RandomGenerator random, Outbox out) {
        this.choker = new Choker<>(Math.max(0, unchokeSlots - 1), random);
        this.out = out;
    }

    /** Re-decides now; {@code seeding} switches from tit-for-tat to round-robin turns. */
    void rechoke(long now, boolean seeding, Collection<PeerState> peers) {
        List<PeerSnapshot<PeerLink>> snapshots = new ArrayList<>(peers.size());
        for (PeerState s : peers) {
            // BEP 21: a peer that wants no more pieces is not one to upload to, whatever it says
            snapshots.add(new PeerSnapshot<>(s.link, s.peerInterested && !s.uploadOnly, s.amInterested, s.peerChoking,
                    s.downloadRate.bytesPerSecond(now),
                    s.uploadRate.bytesPerSecond(now), Instant.ofEpochMilli(s.connectedAt),
                    s.lastBlockAt < 0 ? Optional.empty() : Optional.of(Instant.ofEpochMilli(s.lastBlockAt))));
        }
        Set<PeerLink> unchoked = choker.rechoke(Instant.ofEpochMilli(now), seeding, snapshots).all();
        for (PeerState s : peers) {
            boolean unchoke = unchoked.contains(s.link);
            if (unchoke && s.amChoking) {
                s.amChoking = false;
                out.send(s, new PeerMessage.Unchoke());
            } else if (!unchoke && !s.amChoking) {
                s.amChoking = true;
                out.send(s, new PeerMessage.Choke());
                Uploads.discardQueueOnChoke(s, out); // BEP 3 discards its pending requests, BEP 6 rejects them
            }
        }
    }
}
