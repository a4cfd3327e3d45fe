package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.pick.PiecePicker;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The downloading half of the swarm core: which pieces are verified, what the peers have, which blocks
 * are requested from whom (through the {@link PiecePicker}), how deep each peer's pipeline is, interest,
 * and the download limit. How those requests end (blocks, rejects, timeouts, endgame cancels, who contributed
 * to each piece, received bytes) is kept by {@link BlockReceipts}. Confined to the core's thread.
 */
final class Downloads {

    /** Requests are topped up once this share of the peer's depth (1/8) has been answered. */
    private static final int REFILL_FRACTION = 8;
    /** Requests in flight with no block for this long are taken back and handed to other peers. */
    static final long REQUEST_TIMEOUT_MILLIS = 30_000;
    /** A peer that timed out gets no requests for this long. */
    static final long SNUB_PENALTY_MILLIS = 60_000;
    /** Blocks never asked for beyond this many bytes mean a flood, not a late answer. */
    static final long MAX_UNREQUESTED_BYTES = 1 << 20;

    private final Metainfo metainfo;
    private final Collection<PeerState> peers;
    private final Outbox out;
    private final BitSet verified;
    private final PiecePicker picker;
    /** What becomes of the requests in flight. */
    private final BlockReceipts receipts;
    /**
     * What a requested block costs the download limit: the block, its piece header (13) and our request
     * (17): protocol overhead counts.
     */
    static final long REQUEST_COST = BlockRequest.BLOCK_SIZE + 13 + 17;

    private final Throttle throttle;
    /** When requests held back by the download limit may go (Long.MAX_VALUE: none is held back). */
    private long throttledUntil = Long.MAX_VALUE;
    private int rotation;
    private long verifiedBytes;
    private long wantedBytes;
    private long wantedVerifiedBytes;
    private boolean backlogged;
    /** Announce verified pieces also to peers known to have them ({@link SwarmConfig#redundantHaves}). */
    private final boolean redundantHaves;

    /** {@code peers} is the core's live view of its connected peers. */
    Downloads(Metainfo metainfo, BitSet verified, RandomGenerator random, Collection<PeerState> peers, Outbox out,
              PeerVerdict verdict, Throttle throttle, boolean redundantHaves) {
        this.throttle = throttle;
        this.redundantHaves = redundantHaves;
        this.metainfo = metainfo;
        this.peers = peers;
        this.out = out;
        this.verified = (BitSet) verified.clone();
        this.picker = new PiecePicker(metainfo.layout(), verified, random);
        this.receipts = new BlockReceipts(metainfo.pieceCount(), picker, peers, out, verdict);
        for (int i = verified.nextSetBit(0); i >= 0; i = verified.nextSetBit(i + 1)) {
            verifiedBytes += metainfo.layout().pieceSize(i);
        }
        countWanted();
    }

    /** True when every wanted piece is verified. */
    boolean isComplete() {
        return picker.isComplete();
    }

    /** True when every piece is verified, wanted or not. */
    boolean hasEverything() {
        return picker.hasEverything();
    }

    /**
     * New priority levels per piece ({@link io.kadtorrent.engine.pick.FilePriority#pieceLevels}): interest
     * in every peer is re-decided and requests go out for what is wanted now.
     */
    void setPieceLevels(long now, byte[] levels) {
        picker.setPieceLevels(levels);
        for (PeerState s : peers) { // requests for pieces no longer wanted go, unless data of the piece arrived
            for (BlockRequest b : s.inFlight.toList()) {
                if (picker.cancellable(b)) {
                    s.inFlight.remove(b);
                    picker.unrequest(b);
                    s.lateAllowance++;
                    out.send(s, new PeerMessage.Cancel(b.pieceIndex(), b.begin(), b.lengthBytes()));
                }
            }
        }
        picker.forgetUnwantedUnstarted();
        countWanted();
        for (PeerState s : peers) {
            updateInterest(s);
        }
        refillAll(now);
    }

    /** Pieces a reader waits for, soonest first: requested before anything else (see PiecePicker#setUrgent). */
    void setUrgent(long now, List<Integer> pieces) {
        picker.setUrgent(pieces);
        refillAll(now);
    }

    List<Integer> urgent() {
        return picker.urgent();
    }

    void setSequential(long now, boolean on) {
        picker.setSequential(on);
    }

    private void countWanted() {
        wantedBytes = 0;
        wantedVerifiedBytes = 0;
        for (int i = 0; i < metainfo.pieceCount(); i++) {
            if (picker.level(i) > 0) {
                long size = metainfo.layout().pieceSize(i);
                wantedBytes += size;
                wantedVerifiedBytes += verified.get(i) ? size : 0;
            }
        }
    }

    long wantedBytes() {
        return wantedBytes;
    }

    long wantedVerifiedBytes() {
        return wantedVerifiedBytes;
    }

    /** The verified pieces; the caller must not change the set. */
    BitSet verified() {
        return verified;
    }

    int verifiedCount() {
        return verified.cardinality();
    }

    long verifiedBytes() {
        return verifiedBytes;
    }

    long downloadedBytes() {
        return receipts.downloadedBytes();
    }

    Map<InetSocketAddress, Long> downloadedByPeer() {
        return receipts.downloadedByPeer();
    }

    boolean isInteresting(BitSet peerPieces) {
        return picker.isInteresting(peerPieces);
    }

    void setBacklogged(boolean backlogged) {
        this.backlogged = backlogged;
    }

    /** Replaces the peer's piece set (a bitfield). */
    private void replacePieces(PeerState s, BitSet pieces) {
        picker.availability().removePeer(s.pieces);
        s.pieces.clear();
        s.pieces.or(pieces);
        picker.availability().addPeer(s.pieces);
    }

    void peerGone(PeerState s) {
        dropInFlight(s);
        picker.availability().removePeer(s.pieces);
        s.pieces.clear();
    }

    /** Forgets every request in flight to {@code s} (a choke, a close): the blocks may be picked again. */
    void dropInFlight(PeerState s) {
        receipts.dropInFlight(s);
    }

    /** A block arrived from {@code s}; the core hands over the message and its block. */
    void onPiece(long now, PeerState s, PeerMessage.Piece p) {
        if (receipts.onPiece(now, s, p)) {
            fill(now, s);
        }
    }

    /** The peer announced piece {@code index} (not known before). */
    void onHave(long now, PeerState s, int index) {
        picker.availability().addHave(index);
        if (!s.amInterested) { // a have only adds to what the peer has: it never ends our interest
            updateInterest(s);
        }
        fill(now, s);
    }

    /** The peer's bitfield; the reason it is invalid, or null when it was taken. */
    String onBitfield(long now, PeerState s, byte[] bits) {
        int n = metainfo.pieceCount();
        if (bits.length != (n + 7) / 8) {
            return "bitfield of " + bits.length + " bytes for " + n + " pieces";
        }
        BitSet pieces = new PeerMessage.Bitfield(bits).pieces();
        if (pieces.length() > n) {
            return "bitfield sets spare bits beyond piece " + (n - 1);
        }
        replacePieces(s, pieces);
        updateInterest(s);
        fill(now, s);
        return null;
    }

    /** Tells the peer whether we want something it has (BEP 3 interested / not interested). */
    void updateInterest(PeerState s) {
        boolean interesting = picker.isInteresting(s.pieces);
        if (interesting && !s.amInterested) {
            s.amInterested = true;
            out.send(s, new PeerMessage.Interested());
        } else if (!interesting && s.amInterested) {
            s.amInterested = false;
            out.send(s, new PeerMessage.NotInterested());
        }
    }

    void refillAll(long now) {
        if (throttle.isUnlimited()) {
            for (PeerState s : peers) {
                fill(now, s);
            }
            return;
        }
        // under a limit the first peer asked would take every token: start from a different one each time
        List<PeerState> all = new ArrayList<>(peers);
        int first = all.isEmpty() ? 0 : Math.floorMod(rotation++, all.size());
        for (int k = 0; k < all.size(); k++) {
            fill(now, all.get((first + k) % all.size()));
        }
    }

    /** When requests held back by the download limit may go; Long.MAX_VALUE when none is. */
    long throttledUntil() {
        return throttledUntil;
    }

    /** The download limit's wait is over: requests go out again, fairly. */
    void throttleWaitOver(long now) {
        throttledUntil = Long.MAX_VALUE;
        refillAll(now);
    }

    /** Tops up the requests in flight to {@code s}. */
    void fill(long now, PeerState s) {
        List<BlockRequest> picked = pick(now, s);
        if (!picked.isEmpty()) {
            out.add(new SwarmAction.SendRequests(s.link, picked));
        }
    }

    /**
     * Records the hash result of piece {@code index}; returns who contributed to it. A verified piece is
     * announced to every peer (unless {@link #redundantHaves} is off: then only to those not known to have it);
     * a failed piece's blocks are wanted again, and the requests for it still in
     * flight are forgotten.
     */
    List<PeerLink> pieceChecked(int index, boolean ok) {
        List<PeerLink> from = receipts.takeContributors(index);
        if (ok) {
            if (!verified.get(index)) {
                verified.set(index);
                verifiedBytes += metainfo.layout().pieceSize(index);
                wantedVerifiedBytes += picker.level(index) > 0 ? metainfo.layout().pieceSize(index) : 0;
            }
            picker.pieceVerified(index);
            PeerMessage.Have have = new PeerMessage.Have(index); // immutable: one for every peer
            for (PeerState s : peers) {
                boolean theyHaveIt = s.pieces.get(index);
                if (!theyHaveIt || redundantHaves) {
                    out.send(s, have);
                }
                if (theyHaveIt && s.amInterested) { // only then can this piece end our interest
                    updateInterest(s);
                }
            }
        } else {
            picker.pieceFailed(index);
            for (PeerState s : peers) {
                s.lateAllowance += s.inFlight.removePiece(index); // the picker forgot this round's requests
            }
        }
        return from;
    }

    /**
     * True when {@code s} may be given the pieces a reader waits for: it is among the faster half of the
     * peers we download from (or there are too few to choose), so a slow peer does not hold the reader up.
     */
    private boolean fastEnoughForReaders(PeerState s) {
        if (!picker.hasUrgent()) {
            return true;
        }
        int sources = 0;
        int faster = 0;
        for (PeerState p : peers) {
            if (!p.peerChoking && !p.closing && p != s) {
                sources++;
                faster += p.rateBytesPerSecond() > s.rateBytesPerSecond() ? 1 : 0;
            }
        }
        return sources < 2 || faster * 2 <= sources;
    }

    /** Blocks to request from {@code s} now (marked requested and in flight), possibly none. */
    private List<BlockRequest> pick(long now, PeerState s) {
        if (!s.amInterested || backlogged || s.closing || now < s.snubbedUntil) {
            return List.of();
        }
        int want = s.depth() - s.inFlight.size();
        // top up in batches, one write each, rather than one request per block that arrives
        if (want <= 0 || (want < s.depth() / REFILL_FRACTION && !s.inFlight.isEmpty())) {
            return List.of();
        }
        BitSet offered = offeredBy(s); // after the cheap tests: it may copy a bitfield
        if (offered == null) {
            return List.of();
        }
        if (!throttle.isUnlimited()) {
            int units = throttle.unitsAvailable(now, REQUEST_COST);
            if (units == 0) {
                throttledUntil = Math.min(throttledUntil, now + Math.max(1, throttle.millisUntil(now, REQUEST_COST)));
                return List.of();
            }
            want = Math.min(want, units);
        }
        List<BlockRequest> picked = picker.pick(offered, want, s.inFlight, fastEnoughForReaders(s));
        if (s.inFlight.isEmpty()) {
            s.lastProgressAt = now;
        }
        picked.forEach(s.inFlight::add);
        if (!picked.isEmpty() && !throttle.isUnlimited()) {
            long cost = 0;
            for (BlockRequest b : picked) {
                cost += b.lengthBytes() + REQUEST_COST - BlockRequest.BLOCK_SIZE;
            }
            throttle.take(now, cost);
        }
        return picked;
    }

    /**
     * The pieces we may ask {@code s} for now, or null for none: what it has, while it chokes us only its
     * BEP 6 allowed-fast pieces, less the pieces it rejected since it last unchoked us.
     */
    private BitSet offeredBy(PeerState s) {
        if (!s.peerChoking && s.rejectedPieces.isEmpty()) {
            return s.pieces; // the common case: no copy
        }
        if (s.peerChoking && !offersAllowedFast(s)) {
            return null; // the common choked case, without copying a bitfield
        }
        BitSet offered = (BitSet) (s.peerChoking ? s.allowedFastFromPeer : s.pieces).clone();
        offered.and(s.pieces);
        offered.andNot(s.rejectedPieces);
        return offered.isEmpty() ? null : offered;
    }

    /**
     * Whether one of the allowed-fast pieces {@code s} gave us (at most 32) is one it has, did not reject and we
     * lack. Without one the picker would find nothing; not asking it changes nothing else ({@code lastProgressAt}
     * set there while no request is in flight is set again by the pick that sends the next one).
     */
    private boolean offersAllowedFast(PeerState s) {
        BitSet fast = s.allowedFastFromPeer;
        for (int i = fast.nextSetBit(0); i >= 0; i = fast.nextSetBit(i + 1)) {
            if (s.pieces.get(i) && !s.rejectedPieces.get(i) && !verified.get(i)) {
                return true;
            }
        }
        return false;
    }

    /** BEP 6: {@code s} will not send {@code block}; true when it was in flight to it (see BlockReceipts#onReject). */
    boolean onReject(PeerState s, BlockRequest block) {
        return receipts.onReject(s, block);
    }

    /** Takes back the requests of a peer silent for {@link #REQUEST_TIMEOUT_MILLIS}; true when it did. */
    boolean timeOutRequests(long now, PeerState s) {
        return receipts.timeOutRequests(now, s);
    }
}
