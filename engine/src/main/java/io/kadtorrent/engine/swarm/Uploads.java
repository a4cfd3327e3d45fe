package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage.RejectRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * Serves the peers' block requests, sans I/O: validates each (BEP 3: at most 16 KiB, inside the
 * torrent), queues it per peer (bounded) and hands blocks to the runtime in bursts. The runtime reports
 * when the last block of a burst has left our buffers; at most two bursts per peer are out at once,
 * so a slow peer never makes us read more than that ahead of its socket. A peer's queue only ever holds
 * requests we will serve: while we choke it, none, or with the Fast extension (BEP 6) only those for its
 * allowed-fast pieces. While we leech, a peer that refuses us gets at most a credit of blocks beyond what it
 * sent us ({@link #overdrawn}).
 */
final class Uploads {

    /** More queued requests than this from one peer is abuse, not pipelining. */
    static final int MAX_QUEUED_REQUESTS = 2048;
    /**
     * BEP 6: a peer we choke may fetch its allowed-fast pieces, but not over and over: at most this many
     * times their size (libtorrent drops a peer past three times a piece).
     */
    static final int ALLOWED_FAST_COPIES = 2;
    /** Blocks handed to the runtime per burst (512 KiB). */
    static final int BURST_BLOCKS = 32;
    static final int MAX_BURSTS_IN_FLIGHT = 2;
    /** A piece message's header: length (4), id (1), index (4), begin (4). */
    static final int PIECE_HEADER_BYTES = 13;

    /**
     * The least credit a leecher gives a peer that refuses it: two 128 KiB pieces, enough for a newcomer to have
     * something to trade. Choking alone did not stop free-riders (branch tft2, 10 fixed seeds of
     * {@code SwarmProperties.freeRidersFinishLaterThanUploaders}): in a swarm bound by its seed, the leechers'
     * uplinks run about half full, and a rider in a leftover or optimistic slot took as much of that spare
     * capacity as an uploader (about 14 of its 16 MiB came from leechers) and finished first (median 0.88-0.99 of
     * the uploaders'), whether refusing peers got regular slots or not. With this credit riders get 2.0-3.5 MiB from
     * leechers and finish later on median in all of 30 seeds (1.09-1.30 of the uploaders'), and the uploaders no
     * later than before. Not judging a peer that never had
     * anything we wanted keeps a partial seed serving its downloaders (the credit reverted in a84ed70 stalled one
     * at 256 KiB).
     */
    static final int MIN_CREDIT_BYTES = 256 << 10;

    private final PieceLayout layout;
    /** At least one whole piece, so a newcomer can finish one and announce it. */
    private final long creditBytes;
    private boolean seeding;
    /**
     * For each piece, the peer we last uploaded a block of it to, until another peer announces the piece (then
     * that peer passed it on, most likely: a seed's view of who uploads, as BEP 16 super-seeding uses) or it
     * closes ({@link #forget}).
     */
    private final PeerState[] lastGivenTo;
    private long uploadedBytes;
    private int rotation;

    Uploads(PieceLayout layout) {
        this.layout = layout;
        this.lastGivenTo = new PeerState[layout.pieceCount()];
        this.creditBytes = Math.max(MIN_CREDIT_BYTES, layout.pieceLengthBytes());
    }

    void setSeeding(boolean seeding) {
        this.seeding = seeding;
    }

    /**
     * True while we leech and {@code s}, which {@link PeerState#refusedUs refused us} while we wanted its pieces
     * and chokes us now, took {@link #creditBytes} of blocks since it last sent us one: it gets nothing more
     * (no slot, no blocks) until it sends a block. A peer that never had anything we wanted (a downloader
     * of a partial seed) is never judged; seeds give without counting.
     */
    boolean overdrawn(PeerState s) {
        return !seeding && s.peerChoking && s.refusedUs && s.unreturnedBytes >= creditBytes;
    }

    /**
     * {@code s} announced piece {@code index}: the peer we last gave that piece to, if another, counts it as
     * spread (once per piece given).
     */
    void announced(PeerState s, int index) {
        PeerState giver = lastGivenTo[index];
        if (giver != null && giver != s) {
            giver.piecesSpread.set(index);
            lastGivenTo[index] = null;
        }
    }

    /** {@code s} is gone: it is nobody's last recipient any more (nor kept alive by this). */
    void forget(PeerState s) {
        for (int i = s.piecesGiven.nextSetBit(0); i >= 0; i = s.piecesGiven.nextSetBit(i + 1)) {
            if (lastGivenTo[i] == s) {
                lastGivenTo[i] = null;
            }
        }
    }

    /** The last recipient of piece {@code index} still awaiting a have from another peer, or null. */
    PeerState lastGivenTo(int index) {
        return lastGivenTo[index];
    }

    private void given(PeerState s, BlockRequest b, long now) {
        uploadedBytes += b.lengthBytes();
        s.unreturnedBytes += b.lengthBytes();
        s.uploadRate.record(b.lengthBytes(), now);
        lastGivenTo[b.pieceIndex()] = s;
        s.piecesGiven.set(b.pieceIndex()); // once per piece, even when its recipients alternate
    }

    long uploadedBytes() {
        return uploadedBytes;
    }

    /** Why {@code r} is invalid for this torrent, or null when it is fine. */
    String problem(Request r) {
        if (r.pieceIndex() >= layout.pieceCount()) {
            return "request for piece " + r.pieceIndex() + " of " + layout.pieceCount();
        }
        if (r.lengthBytes() <= 0 || r.lengthBytes() > BlockRequest.BLOCK_SIZE) {
            return "request of " + r.lengthBytes() + " bytes (limit 16 KiB)";
        }
        if ((long) r.begin() + r.lengthBytes() > layout.pieceSize(r.pieceIndex())) {
            return "request " + r.begin() + "+" + r.lengthBytes() + " outside piece " + r.pieceIndex();
        }
        return null;
    }

    /** What became of a valid request. */
    enum Admission {
        QUEUED,
        /** Not served: we choke the peer (and the piece is not allowed fast for it) or lack the piece. */
        REFUSED,
        /** The peer's queue is full: abuse. */
        OVERFLOW
    }

    /**
     * Queues a valid request unless we choke the peer (outside its BEP 6 allowed-fast pieces) or lack the
     * piece; BEP 3 drops such requests, BEP 6 has the caller reject them.
     */
    Admission enqueue(PeerState s, Request r, BitSet verified) {
        if (!verified.get(r.pieceIndex()) || (s.amChoking && !allowedFast(s, r))) {
            return Admission.REFUSED;
        }
        if (s.uploadQueue.size() >= MAX_QUEUED_REQUESTS) {
            return Admission.OVERFLOW;
        }
        s.uploadQueue.addLast(r.block());
        return Admission.QUEUED;
    }

    /** Whether we serve {@code r} to {@code s} while we choke it (BEP 6), counting it against its budget. */
    private boolean allowedFast(PeerState s, Request r) {
        long budget = (long) ALLOWED_FAST_COPIES * s.allowedFastToPeer.cardinality() * layout.pieceLengthBytes();
        if (!s.fast || !s.allowedFastToPeer.get(r.pieceIndex()) || s.allowedFastBytes + r.lengthBytes() > budget) {
            return false;
        }
        s.allowedFastBytes += r.lengthBytes();
        return true;
    }

    /**
     * We choke {@code s}: BEP 3 discards its queued requests; with BEP 6 each is rejected instead, except
     * those for its allowed-fast pieces, which are still served.
     */
    static void discardQueueOnChoke(PeerState s, Outbox out) {
        if (!s.fast) {
            s.uploadQueue.clear();
            return;
        }
        for (Iterator<BlockRequest> it = s.uploadQueue.iterator(); it.hasNext(); ) {
            BlockRequest b = it.next();
            if (!s.allowedFastToPeer.get(b.pieceIndex())) {
                it.remove();
                out.send(s, RejectRequest.of(b));
            }
        }
    }

    /** Hands queued blocks to {@code send} while the peer has burst room; the last of each burst asks for a report. */
    void drain(PeerState s, long now, SendBlock send) {
        while (!s.uploadQueue.isEmpty() && s.burstsInFlight < MAX_BURSTS_IN_FLIGHT && !overdrawn(s)) {
            s.burstsInFlight++; // the queue holds what we serve
            for (int i = 0; i < BURST_BLOCKS && !s.uploadQueue.isEmpty(); i++) {
                BlockRequest b = s.uploadQueue.pollFirst();
                given(s, b, now);
                boolean last = i == BURST_BLOCKS - 1 || s.uploadQueue.isEmpty() || overdrawn(s);
                send.send(s.link, b, last);
                if (last) {
                    break;
                }
            }
        }
    }

    /** What a block costs a rate limit: its bytes and the piece message's header (protocol overhead counts). */
    static long cost(int blockBytes) {
        return blockBytes + PIECE_HEADER_BYTES;
    }

    /**
     * Serves the peers' queues under a rate limit, fairly: the blocks the buckets hold now are shared equally
     * among the peers waiting (each share one burst), starting from a different peer each time so that
     * nobody is always first. Returns true when a peer still waits, for tokens only.
     */
    boolean drainLimited(Collection<PeerState> peers, long now, SendBlock send, Throttle throttle) {
        List<PeerState> waiting = new ArrayList<>();
        for (PeerState s : peers) {
            if (!s.closing && !s.uploadQueue.isEmpty() && !s.amChoking && s.burstsInFlight < MAX_BURSTS_IN_FLIGHT
                    && !overdrawn(s)) {
                waiting.add(s);
            }
        }
        if (waiting.isEmpty()) {
            return false;
        }
        int units = throttle.unitsAvailable(now, cost(BlockRequest.BLOCK_SIZE));
        int share = Math.max(1, Math.min(BURST_BLOCKS, units / waiting.size()));
        int first = Math.floorMod(rotation++, waiting.size());
        for (int k = 0; k < waiting.size() && units > 0; k++) {
            PeerState s = waiting.get((first + k) % waiting.size());
            s.burstsInFlight++;
            long bytes = 0;
            for (int i = 0; i < share && units > 0 && !s.uploadQueue.isEmpty(); i++, units--) {
                BlockRequest b = s.uploadQueue.pollFirst();
                given(s, b, now);
                boolean last = i == share - 1 || units == 1 || s.uploadQueue.isEmpty() || overdrawn(s);
                send.send(s.link, b, last);
                bytes += cost(b.lengthBytes());
                if (last) {
                    break;
                }
            }
            throttle.take(now, bytes);
        }
        for (PeerState s : waiting) {
            if (!s.uploadQueue.isEmpty() && s.burstsInFlight < MAX_BURSTS_IN_FLIGHT) {
                return true;
            }
        }
        return false;
    }

    @FunctionalInterface
    interface SendBlock {
        void send(PeerLink peer, BlockRequest block, boolean reportSent);
    }
}
