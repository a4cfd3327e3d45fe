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
 * allowed-fast pieces.
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

    private final PieceLayout layout;
    /**
     * For each piece, the peer we last uploaded a block of it to, until another peer announces the piece:
     * then that peer passed it on, most likely (a seed's view of who uploads, as BEP 16 super-seeding uses).
     */
    private final PeerState[] lastGivenTo;
    private long uploadedBytes;
    private int rotation;

    Uploads(PieceLayout layout) {
        this.layout = layout;
        this.lastGivenTo = new PeerState[layout.pieceCount()];
    }

    /**
     * {@code s} announced piece {@code index}: the peer we last gave that piece to, if another, counts it as
     * spread (once per piece given).
     */
    void announced(PeerState s, int index) {
        PeerState giver = lastGivenTo[index];
        if (giver != null && giver != s) {
            giver.piecesSpread++;
            lastGivenTo[index] = null;
        }
    }

    private void given(PeerState s, BlockRequest b, long now) {
        uploadedBytes += b.lengthBytes();
        s.uploadRate.record(b.lengthBytes(), now);
        if (lastGivenTo[b.pieceIndex()] != s) {
            lastGivenTo[b.pieceIndex()] = s;
            s.piecesGiven++;
        }
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
        while (!s.uploadQueue.isEmpty() && s.burstsInFlight < MAX_BURSTS_IN_FLIGHT) { // the queue holds what we serve
            s.burstsInFlight++;
            for (int i = 0; i < BURST_BLOCKS && !s.uploadQueue.isEmpty(); i++) {
                BlockRequest b = s.uploadQueue.pollFirst();
                boolean last = i == BURST_BLOCKS - 1 || s.uploadQueue.isEmpty();
                send.send(s.link, b, last);
                given(s, b, now);
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
            if (!s.uploadQueue.isEmpty() && !s.amChoking && s.burstsInFlight < MAX_BURSTS_IN_FLIGHT) {
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
                boolean last = i == share - 1 || units == 1 || s.uploadQueue.isEmpty();
                send.send(s.link, b, last);
                bytes += cost(b.lengthBytes());
                given(s, b, now);
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
