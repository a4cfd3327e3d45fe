package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.util.BitSet;

/**
 * Serves the peers' block requests, sans I/O: validates each (BEP 3: at most 16 KiB, inside the
 * torrent), queues it per peer (bounded) and hands blocks to the runtime in bursts. The runtime reports
 * when the last block of a burst has left our buffers; at most two bursts per peer are out at once,
 * so a slow peer never makes us read more than that ahead of its socket. While we are leeching, a peer
 * that chokes us gets at most {@link #creditBytes} of blocks beyond what it sent us ({@link #overdrawn}).
 */
final class Uploads {

    /** More queued requests than this from one peer is abuse, not pipelining. */
    static final int MAX_QUEUED_REQUESTS = 2048;
    /** Blocks handed to the runtime per burst (512 KiB). */
    static final int BURST_BLOCKS = 32;
    static final int MAX_BURSTS_IN_FLIGHT = 2;
    /**
     * The least credit a choking peer gets from a leecher: two 128 KiB pieces, enough for a newcomer to have
     * something to trade. Tit-for-tat's slots alone did not stop free-riders: in a swarm bound by its seed the
     * honest leechers' uplinks are mostly idle, and a free-rider holding one optimistic or leftover slot took
     * all that spare capacity (14 of its 16 MiB came from leechers) and finished as early as the uploaders
     * (median 0.91-1.04 of theirs). With this credit it got 2.6-11 MiB from leechers (median 3.9, 12 seeds) and
     * finished 5-17 % later over 62 random seeds, the uploaders as fast as before
     * ({@code SwarmProperties.freeRidersFinishLaterThanUploaders}). Measured and dropped: counting only while
     * we want the peer's pieces (riders then fed on us whenever they had nothing we lacked: 1.00-1.07), that
     * with 1 MiB of credit (1.00-1.02), keeping peers that never sent us a block out of the optimistic draw
     * (no change: leftover slots still fed them), and 2 s instead of 500 ms of request pipelining (no change).
     * Seeds must not count: applied to seeds too, the credit stalled every swarm.
     */
    static final int MIN_CREDIT_BYTES = 256 << 10;
    /**
     * A spent credit is renewed this much later: two honest peers that each choked the other while wanting
     * nothing from it must not shut each other out for good once they do. A free-rider gets one more credit
     * per leecher this often.
     */
    static final long CREDIT_RENEWAL_MILLIS = 120_000;

    private final PieceLayout layout;
    /** At least one whole piece, so a newcomer can finish one and announce it. */
    private final long creditBytes;
    private long uploadedBytes;
    private boolean seeding;

    Uploads(PieceLayout layout) {
        this.layout = layout;
        this.creditBytes = Math.max(MIN_CREDIT_BYTES, layout.pieceSize(0));
    }

    /** Once we seed, credit no longer counts: we want nothing back, and every peer gets its turn. */
    void setSeeding(boolean seeding) {
        this.seeding = seeding;
    }

    /**
     * True while we leech and {@code s} chokes us after taking {@link #creditBytes} of blocks since it last
     * sent us one: it gets nothing more from us (no slot, no blocks) until it sends us a block. An honest
     * peer we fed ranks us among its senders and unchokes us within a rechoke or two; one with nothing we
     * want chokes us too (BEP 3 unchokes interested peers only) and waits until it has a piece we lack.
     * Seeds are never overdrawn (we want nothing from them, and they never wanted anything from us). The credit
     * is renewed {@link #CREDIT_RENEWAL_MILLIS} after it was spent.
     */
    boolean overdrawn(PeerState s, long now) {
        return !seeding && s.peerChoking && s.creditSpentAt >= 0 && now - s.creditSpentAt < CREDIT_RENEWAL_MILLIS;
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

    /**
     * Queues a valid request unless we choke the peer or lack the piece (BEP 3: such requests are dropped);
     * false when the peer's queue overflowed.
     */
    boolean enqueue(PeerState s, Request r, BitSet verified) {
        if (s.amChoking || !verified.get(r.pieceIndex())) {
            return true;
        }
        if (s.uploadQueue.size() >= MAX_QUEUED_REQUESTS) {
            return false;
        }
        s.uploadQueue.addLast(r.block());
        return true;
    }

    /**
     * Hands queued blocks to {@code send} while the peer has burst room and is not {@link #overdrawn}; the last
     * of each burst asks for a report.
     */
    void drain(PeerState s, long now, SendBlock send) {
        if (s.creditSpentAt >= 0 && now - s.creditSpentAt >= CREDIT_RENEWAL_MILLIS) {
            s.unreturnedBytes = 0;
            s.creditSpentAt = -1;
        }
        while (!s.uploadQueue.isEmpty() && !s.amChoking && s.burstsInFlight < MAX_BURSTS_IN_FLIGHT
                && !overdrawn(s, now)) {
            s.burstsInFlight++;
            for (int i = 0; i < BURST_BLOCKS && !s.uploadQueue.isEmpty(); i++) {
                BlockRequest b = s.uploadQueue.pollFirst();
                s.unreturnedBytes += b.lengthBytes();
                if (s.unreturnedBytes >= creditBytes && s.creditSpentAt < 0) {
                    s.creditSpentAt = now;
                }
                boolean last = i == BURST_BLOCKS - 1 || s.uploadQueue.isEmpty() || overdrawn(s, now);
                send.send(s.link, b, last);
                uploadedBytes += b.lengthBytes();
                s.uploadRate.record(b.lengthBytes(), now);
                if (last) {
                    break;
                }
            }
        }
    }

    /** The runtime's report that a burst left our buffers. */
    void burstSent(PeerState s, long now, SendBlock send) {
        s.burstsInFlight = Math.max(0, s.burstsInFlight - 1);
        drain(s, now, send);
    }

    @FunctionalInterface
    interface SendBlock {
        void send(PeerLink peer, BlockRequest block, boolean reportSent);
    }
}
