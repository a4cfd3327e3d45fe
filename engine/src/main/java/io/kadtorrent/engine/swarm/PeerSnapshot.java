package io.kadtorrent.engine.swarm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@link Choker} needs to know about one connected peer at a rechoke.
 *
 * @param peer                   the caller's handle for the connection (value equality)
 * @param peerInterested         the peer wants pieces from us (BEP 3 {@code interested})
 * @param weAreInterested        we want pieces from the peer
 * @param chokesUs               the peer chokes us (BEP 3 {@code choke}): it sends us nothing
 * @param downloadBytesPerSecond recent rate of piece data from the peer to us
 * @param uploadBytesPerSecond   recent rate of piece data from us to the peer
 * @param connectedAt            when the connection was established
 * @param lastBlockAt            when the peer last sent us a block, if ever
 * @param hoards                 pieces we uploaded to it rarely reappear at other peers: while seeding, the only
 *                               sign we have of a peer that never uploads (see {@link Choker})
 * @param overdrawn              it refused us and spent its credit (the leecher's {@code Uploads.overdrawn}): it
 *                               gets a slot only when nobody else wants one, and no blocks until it sends one
 */
public record PeerSnapshot<P>(P peer, boolean peerInterested, boolean weAreInterested, boolean chokesUs,
                              long downloadBytesPerSecond, long uploadBytesPerSecond,
                              Instant connectedAt, Optional<Instant> lastBlockAt, boolean hoards, boolean overdrawn) {

    /** A snapshot of a peer that is not overdrawn. */
    public PeerSnapshot(P peer, boolean peerInterested, boolean weAreInterested, boolean chokesUs,
                        long downloadBytesPerSecond, long uploadBytesPerSecond, Instant connectedAt,
                        Optional<Instant> lastBlockAt, boolean hoards) {
        this(peer, peerInterested, weAreInterested, chokesUs, downloadBytesPerSecond, uploadBytesPerSecond,
                connectedAt, lastBlockAt, hoards, false);
    }

    /** A snapshot of a peer not known to hoard. */
    public PeerSnapshot(P peer, boolean peerInterested, boolean weAreInterested, boolean chokesUs,
                        long downloadBytesPerSecond, long uploadBytesPerSecond, Instant connectedAt,
                        Optional<Instant> lastBlockAt) {
        this(peer, peerInterested, weAreInterested, chokesUs, downloadBytesPerSecond, uploadBytesPerSecond,
                connectedAt, lastBlockAt, false, false);
    }

    public PeerSnapshot {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(connectedAt, "connectedAt");
        Objects.requireNonNull(lastBlockAt, "lastBlockAt");
        if (downloadBytesPerSecond < 0 || uploadBytesPerSecond < 0) {
            throw new IllegalArgumentException("rates must be >= 0");
        }
    }

    /**
     * True when we want data from the peer but it has sent us no block for {@code timeout}
     * (counted from connecting when it never sent one): it "snubs" us and loses its regular slot.
     */
    public boolean isSnubbing(Instant now, Duration timeout) {
        Instant lastProgress = lastBlockAt.filter(t -> t.isAfter(connectedAt)).orElse(connectedAt);
        return weAreInterested && !lastProgress.plus(timeout).isAfter(now);
    }

    /** True when the peer connected less than {@code window} ago. */
    public boolean isNew(Instant now, Duration window) {
        return connectedAt.plus(window).isAfter(now);
    }
}
