package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.pick.PiecePicker;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The downloading half of the swarm core: which pieces are verified, what the peers have, which blocks
 * are requested from whom (through the {@link PiecePicker}), how deep each peer's pipeline is, interest,
 * endgame cancels, who contributed to each piece (for bans), and the accounting of received bytes.
 * Requests that go unanswered for {@link #REQUEST_TIMEOUT_MILLIS} go to other peers; a peer flooding
 * blocks we never asked for is dropped through the {@link PeerVerdict}. Confined to the core's thread.
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
    private static final int MAX_TRACKED_SOURCES = 1024;

    private final Metainfo metainfo;
    private final Collection<PeerState> peers;
    private final Outbox out;
    private final PeerVerdict verdict;
    private final BitSet verified;
    private final PiecePicker picker;
    /** Per piece, the peers whose blocks of it we took since it was last checked (null: none); by index, no boxing. */
    private final List<PeerLink>[] contributors;
    /** Block bytes received per peer address (one mutable cell each: no boxing per block), for "who served whom" reports; bounded. */
    private final Map<InetSocketAddress, long[]> downloadedFrom = new LinkedHashMap<>();
    /**
     * What a requested block costs the download limit: the block, its piece header (13) and our request
     * (17): protocol overhead counts.
     */
    static final long REQUEST_COST = BlockRequest.BLOCK_SIZE + 13 + 17;

    private final Throttle throttle;
    /** When requests held back by the download limit may go (Long.MAX_VALUE: none is held back). */
    private long throttledUntil = Long.MAX_VALUE;
    private int rotation;
    private long downloadedBytes;
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
        this.verdict = verdict;
        this.verified = (BitSet) verified.clone();
        @SuppressWarnings("unchecked")
        List<PeerLink>[] byPiece = new List[metainfo.pieceCount()];
        this.contributors = byPiece;
        this.picker = new PiecePicker(metainfo.layout(), verified, random);
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
        return downloadedBytes;
    }

    Map<InetSocketAddress, Long> downloadedByPeer() {
        Map<InetSocketAddress, Long> out = new LinkedHashMap<>();
        downloadedFrom.forEach((address, bytes) -> out.put(address, bytes[0]));
        return Map.copyOf(out);
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
        s.inFlight.forEach(picker::unrequest);
        s.inFlight.clear();
    }

    /** A block arrived from {@code s}; the core hands over the message and its block. */
    void onPiece(long now, PeerState s, PeerMessage.Piece p) {
        BlockRequest block = p.blockRequest();
        if (!s.inFlight.remove(block)) {
            p.release();
            if (!lateBlockAllowed(s, block.lengthBytes())) {
                verdict.drop(s, "sent more than " + MAX_UNREQUESTED_BYTES + " bytes of blocks we never asked for", true);
            }
            return;
        }
        PiecePicker.Received r = received(now, s, block);
        if (r == PiecePicker.Received.ACCEPTED || r == PiecePicker.Received.PIECE_COMPLETE) {
            if (picker.inEndgame() || picker.isUrgent(block.pieceIndex())) { // only these go to two peers at once
                cancelElsewhere(s, block);
            }
            out.add(new SwarmAction.WriteBlock(block, p.block(), r == PiecePicker.Received.PIECE_COMPLETE,
                    picker.startedUrgent(block.pieceIndex())));
        } else {
            p.release();
        }
        fill(now, s);
    }

    /**
     * A block we have no request in flight for arrived: fine while it may be the late answer to a request
     * we cancelled or forgot; false once the peer has sent more than {@link #MAX_UNREQUESTED_BYTES} of them.
     */
    private boolean lateBlockAllowed(PeerState s, int lengthBytes) {
        if (s.lateAllowance > 0) {
            s.lateAllowance--;
            return true;
        }
        s.unrequestedBytes += lengthBytes;
        return s.unrequestedBytes <= MAX_UNREQUESTED_BYTES;
    }

    /** A block we asked {@code s} for arrived (already removed from its in-flight set). */
    private PiecePicker.Received received(long now, PeerState s, BlockRequest block) {
        downloadedBytes += block.lengthBytes();
        long[] from = downloadedFrom.get(s.address);
        if (from == null && downloadedFrom.size() < MAX_TRACKED_SOURCES) {
            from = new long[1];
            downloadedFrom.put(s.address, from);
        }
        if (from != null) {
            from[0] += block.lengthBytes();
        }
        s.recordReceived(block.lengthBytes(), now);
        s.lastBlockAt = now;
        s.lastProgressAt = now;
        PiecePicker.Received r = picker.blockReceived(block);
        if (r == PiecePicker.Received.ACCEPTED || r == PiecePicker.Received.PIECE_COMPLETE) {
            List<PeerLink> authors = contributors[block.pieceIndex()];
            if (authors == null) {
                authors = new ArrayList<>(2);
                contributors[block.pieceIndex()] = authors;
            }
            if (authors.isEmpty() || authors.get(authors.size() - 1) != s.link) {
                authors.add(s.link); // PeerBans.blame counts each author once: a run of one peer's blocks is one entry
            }
        }
        return r;
    }

    /**
     * Endgame: cancel the requests for {@code block} that other peers still have in flight. The picker counts
     * the live requests (the one just answered among them), so most blocks, asked of one peer only, cost no
     * walk, and a walk ends with the last duplicate.
     */
    private void cancelElsewhere(PeerState from, BlockRequest block) {
        int elsewhere = picker.liveRequests(block) - 1;
        for (var it = peers.iterator(); elsewhere > 0 && it.hasNext(); ) {
            PeerState s = it.next();
            if (s != from && s.inFlight.remove(block)) {
                elsewhere--;
                picker.unrequest(block);
                s.lateAllowance++;
                out.send(s, new PeerMessage.Cancel(block.pieceIndex(), block.begin(), block.lengthBytes()));
            }
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
        List<PeerLink> from = contributors[index];
        contributors[index] = null;
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
        return from == null ? List.of() : from;
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

    /**
     * BEP 6: {@code s} will not send {@code block}. The block goes back to the picker for other peers, and
     * its piece is not asked of {@code s} again until it unchokes us; true when it was in flight to {@code s}.
     */
    boolean onReject(PeerState s, BlockRequest block) {
        if (!s.inFlight.remove(block)) {
            if (s.lateAllowance > 0) {
                s.lateAllowance--; // the answer to a request we cancelled or gave up on: no block follows
            }
            return false;
        }
        picker.unrequest(block);
        s.rejectedPieces.set(block.pieceIndex());
        return true;
    }

    /**
     * Takes back the requests of a peer that answered none of them for {@link #REQUEST_TIMEOUT_MILLIS};
     * true when it did, so the blocks can go to others.
     */
    boolean timeOutRequests(long now, PeerState s) {
        if (s.inFlight.isEmpty() || now - s.lastProgressAt < REQUEST_TIMEOUT_MILLIS) {
            return false;
        }
        s.lateAllowance += s.inFlight.size();
        dropInFlight(s);
        s.snubbedUntil = now + SNUB_PENALTY_MILLIS;
        return true;
    }
}
