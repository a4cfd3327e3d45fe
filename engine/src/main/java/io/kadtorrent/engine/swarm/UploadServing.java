package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;

/**
 * The swarm core's upload side, which decides when the blocks its peers asked for go out: {@link Choking} says
 * who may fetch, {@link Uploads} queues their requests, and the upload {@link Throttle} paces the blocks. Does
 * nothing until storage is open ({@link #start}). Confined to the core's thread.
 */
final class UploadServing {

    private final Choking choking;
    private final Throttle throttle;
    private final ConnectedPeers peers;
    private final Outbox out;
    /** Made once: draining a queue hands blocks out through it, with no allocation per call. */
    private final Uploads.SendBlock sendBlock;
    private Uploads uploads; // null until storage is ready
    private Downloads downloads; // which pieces we have, whether we are a seed
    /** When uploads held back by the upload limit may go (Long.MAX_VALUE: none is held back). */
    private long throttledUntil = Long.MAX_VALUE;

    UploadServing(Choking choking, Throttle throttle, ConnectedPeers peers, Outbox out) {
        this.choking = choking;
        this.throttle = throttle;
        this.peers = peers;
        this.out = out;
        this.sendBlock = (peer, block, reportSent) -> out.add(new SwarmAction.SendBlock(peer, block, reportSent));
    }

    /** Storage is open: requests for the pieces {@code downloads} has verified are served from now on. */
    void start(Uploads uploads, Downloads downloads) {
        this.uploads = uploads;
        this.downloads = downloads;
    }

    boolean isStarted() {
        return uploads != null;
    }

    long uploadedBytes() {
        return uploads == null ? 0 : uploads.uploadedBytes();
    }

    /** When {@link #timer} must run next for uploads held back by the limit (Long.MAX_VALUE: none are). */
    long throttledUntil() {
        return throttledUntil;
    }

    private boolean isComplete() {
        return downloads != null && downloads.isComplete();
    }

    // ---- requests ----

    /** Why {@code r} breaks BEP 3 (too long, outside the torrent), or null; only once {@link #isStarted}. */
    String problem(Request r) {
        return uploads.problem(r);
    }

    /** Queues a valid request and serves it when it may go; REFUSED and OVERFLOW are the caller's to act on. */
    Uploads.Admission enqueue(long now, PeerState s, Request r) {
        Uploads.Admission admission = uploads.enqueue(s, r, downloads.verified());
        if (admission == Uploads.Admission.QUEUED) {
            serveAndHandOnASpentSlot(now, s);
        }
        return admission;
    }

    /** The runtime's report that a burst of blocks sent to {@code s} left our buffers. */
    void burstSent(long now, PeerState s) {
        if (uploads != null) {
            s.burstsInFlight = Math.max(0, s.burstsInFlight - 1);
            serveAndHandOnASpentSlot(now, s);
        }
    }

    /** The peer announced piece {@code index}: it may have passed on what we gave it. */
    void announced(PeerState s, int index) {
        if (uploads != null) {
            uploads.announced(s, index);
        }
    }

    /**
     * Whether {@code s} spent its credit ({@link Uploads#overdrawn}); taken before it unchokes us or sends a block,
     * for {@link #serveIfCreditCleared}.
     */
    boolean overdrawn(PeerState s) {
        return uploads != null && uploads.overdrawn(s);
    }

    /**
     * {@code s} was {@link Uploads#overdrawn overdrawn} and no longer is (it unchoked us or sent a block): the
     * requests it queued meanwhile are served now, not left waiting for a burst report that never comes.
     */
    void serveIfCreditCleared(long now, PeerState s, boolean wasOverdrawn) {
        if (wasOverdrawn && !s.closing && !overdrawn(s)) {
            serve(now, s);
        }
    }

    /** Serves {@code s}; if that spent its credit, its slot goes to a peer waiting for one, if any. */
    private void serveAndHandOnASpentSlot(long now, PeerState s) {
        boolean overdrawn = overdrawn(s);
        serve(now, s);
        if (!overdrawn && overdrawn(s)) {
            choking.overdrawn(now, isComplete(), s, peers.all(), uploads);
        }
    }

    /** Serves every peer: limits or shares changed, or a renewed credit or our becoming a seed freed requests. */
    void serveAll(long now) {
        serve(now, null);
    }

    /**
     * Hands queued blocks to the runtime: all {@code s} may have when there is no upload limit, else the
     * limit's share for every waiting peer ({@code s} may be null then).
     */
    private void serve(long now, PeerState s) {
        if (uploads == null) {
            return;
        }
        if (throttle.isUnlimited()) {
            if (s != null) {
                uploads.drain(s, now, sendBlock);
            } else {
                peers.all().stream().filter(p -> !p.closing).forEach(p -> uploads.drain(p, now, sendBlock));
            }
            return;
        }
        if (uploads.drainLimited(peers.all(), now, sendBlock, throttle)) {
            long cost = Uploads.cost(BlockRequest.BLOCK_SIZE);
            throttledUntil = Math.min(throttledUntil, now + Math.max(1, throttle.millisUntil(now, cost)));
        }
    }

    /** Uploads held back by the limit go when their wait is over. */
    void timer(long now) {
        if (now >= throttledUntil) {
            throttledUntil = Long.MAX_VALUE;
            serve(now, null);
        }
    }

    // ---- choking ----

    void interested(long now, PeerState s) {
        if (uploads != null) {
            choking.interested(now, s, peers.all(), uploads);
        }
    }

    void lostInterest(long now, PeerState s) {
        if (uploads != null) {
            choking.lostInterestOrGone(now, isComplete(), s, peers.all(), uploads);
        }
    }

    /** {@code s} closed (it is no longer among the peers): its slot, if it had one, goes to another. */
    void peerGone(long now, PeerState s) {
        if (uploads != null) {
            uploads.forget(s);
            choking.lostInterestOrGone(now, isComplete(), s, peers.all(), uploads);
        }
    }

    /** We have every wanted piece: seeds give without counting, so requests held back by a credit go out now. */
    void seedingStarted(long now) {
        if (uploads != null) {
            uploads.setSeeding(true);
            serve(now, null);
        }
    }

    /**
     * The scheduled rechoke: re-decides who may download from us (tit-for-tat, {@link Choker}), then serves
     * every queue, since a renewed credit or our becoming a seed can free requests held back.
     */
    void rechoke(long now) {
        if (uploads != null) {
            uploads.setSeeding(isComplete());
            choking.rechoke(now, isComplete(), peers.all(), uploads);
            serve(now, null);
        }
    }
}
