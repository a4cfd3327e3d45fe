package io.kadtorrent.engine.swarm;

/**
 * The swarm core's periodic work, due at the times {@link SwarmCore#timer} is called with: throttle waits,
 * PEX sends, once a second request timeouts (or a magnet's metadata retries), resume saves, rechoking every
 * 10 s and dialling due addresses. Confined to the core's thread.
 */
final class PeriodicWork {

    static final long TICK_MILLIS = 1_000;
    static final long RECHOKE_MILLIS = Choker.RECHOKE_INTERVAL.toMillis();

    private final ConnectedPeers peers;
    private final Connections connections;
    private final UploadServing serving;
    private final PeerExchange pex;
    private final MetadataExchange metadata;
    private final ResumeSaves resumeSaves;
    private long nextTickAt;
    private long nextRechokeAt;
    private long nextPexAt = Long.MAX_VALUE;

    PeriodicWork(ConnectedPeers peers, Connections connections, UploadServing serving, PeerExchange pex,
                 MetadataExchange metadata, ResumeSaves resumeSaves, long now) {
        this.peers = peers;
        this.connections = connections;
        this.serving = serving;
        this.pex = pex;
        this.metadata = metadata;
        this.resumeSaves = resumeSaves;
        this.nextTickAt = now + TICK_MILLIS;
        this.nextRechokeAt = now + RECHOKE_MILLIS;
    }

    /** A peer speaking BEP 10 connected: its first PEX message is due soon. */
    void pexStarted(long now) {
        nextPexAt = Math.min(nextPexAt, now + PeerExchange.FIRST_SEND_MILLIS);
    }

    /** When {@link #run} must be called next; {@code downloads} is null until storage is ready. */
    long nextRunMillis(Downloads downloads) {
        long next = Math.min(nextTickAt, connections.nextDialAt());
        next = Math.min(next, serving.throttledUntil());
        return downloads == null ? next : Math.min(next, downloads.throttledUntil());
    }

    /** Does the work due by {@code now}; {@code downloads} is null until storage is ready. */
    void run(long now, Downloads downloads) {
        serving.timer(now);
        if (downloads != null && now >= downloads.throttledUntil()) {
            downloads.throttleWaitOver(now);
        }
        if (now >= nextPexAt) {
            nextPexAt = pex.tick(now, peers.byLink());
        }
        if (now >= nextTickAt) {
            nextTickAt = now + TICK_MILLIS;
            tick(now, downloads);
        }
        resumeSaves.timer(now, downloads != null && downloads.isComplete(), connections.isStopped());
        if (now >= nextRechokeAt) {
            nextRechokeAt = now + RECHOKE_MILLIS;
            serving.rechoke(now);
        }
        connections.dial(now);
    }

    /** Once a second: requests that timed out go to other peers; a magnet asks again for missing metadata. */
    private void tick(long now, Downloads downloads) {
        if (downloads != null) {
            boolean timedOut = false;
            for (PeerState s : peers.all()) {
                timedOut |= downloads.timeOutRequests(now, s);
            }
            if (timedOut) {
                downloads.refillAll(now); // the blocks given back go to peers with room
            }
        } else {
            metadata.requestMissing(now, peers.byLink());
        }
    }
}
