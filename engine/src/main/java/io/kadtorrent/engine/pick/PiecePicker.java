package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Chooses which 16 KiB blocks to request from a peer and keeps strict block-level books: which blocks
 * are requested (and how often), which arrived, which pieces are complete. Policy (BEP 3 practice):
 * finish the peer's own started pieces, then a few random first pieces, then rarest-first with random
 * ties; once every missing block is requested, endgame hands out duplicates of the blocks still in
 * flight so a slow peer cannot stall the end. Not thread-safe: the swarm confines it to one lock.
 *
 * <p>File priorities ({@link #setPieceLevels}) narrow and order this: pieces at level 0 are never picked
 * and do not make a peer interesting; higher levels are picked before lower ones, each by the policy
 * above. "Complete" means every wanted piece is verified.
 *
 * <p>Each choice costs what it looks at, not the torrent's size: started pieces with blocks left to
 * request are indexed by their last taker, in the order they were started ({@link OpenPieces}), and the
 * next piece to start is the {@link PieceChooser}'s.
 */
public final class PiecePicker {

    /** Pieces picked at random before rarest-first starts, so a new peer soon has something to trade. */
    static final int RANDOM_FIRST_PIECES = 4;

    private final PieceLayout layout;
    private final BitSet verified;
    private final PieceAvailability availability;
    /** Which wanted piece not started yet to start next. */
    private final PieceChooser chooser;
    /** Started pieces in the order they were started (endgame walks them so). */
    private final Map<Integer, PieceProgress> inProgress = new LinkedHashMap<>();
    /** {@code inProgress} by piece index, for O(1) lookups. */
    private final PieceProgress[] progress;
    /** Wanted pieces not verified (within the torrent). */
    private final BitSet missing = new BitSet();
    /** Each piece's priority level: 0 not wanted, then low, normal, high (as {@link FilePriority#ordinal()}). */
    private final byte[] levels;
    /** Pieces a reader waits for, in the order it needs them (streaming): picked before anything else. */
    private final List<Integer> urgent = new ArrayList<>();
    private int verifiedCount;
    private long startSeq;
    /** Started pieces with blocks left to request, in start order: all of them, and by last taker. */
    private final OpenPieces open = new OpenPieces();

    public PiecePicker(PieceLayout layout, BitSet verified, RandomGenerator random) {
        int n = layout.pieceCount();
        this.layout = layout;
        this.verified = new BitSet(n);
        this.verified.or(verified.get(0, n));
        this.verifiedCount = this.verified.cardinality();
        this.availability = new PieceAvailability(n);
        this.chooser = new PieceChooser(n, availability, random);
        this.progress = new PieceProgress[n];
        this.levels = new byte[n];
        Arrays.fill(levels, (byte) FilePriority.NORMAL.ordinal());
        setPieceLevels(levels.clone());
    }

    /**
     * Sets every piece's priority level ({@link FilePriority#pieceLevels}); takes effect with the next pick.
     * Started pieces that are no longer wanted are finished (their blocks are already asked for).
     */
    public void setPieceLevels(byte[] newLevels) {
        if (newLevels.length != levels.length) {
            throw new IllegalArgumentException(newLevels.length + " levels for " + levels.length + " pieces");
        }
        chooser.clearLevels();
        for (int i = 0; i < levels.length; i++) {
            int level = newLevels[i];
            if (level < 0 || level >= chooser.levelCount()) {
                throw new IllegalArgumentException("piece " + i + " has level " + level);
            }
            levels[i] = (byte) level;
            boolean wanted = level > 0 && !verified.get(i);
            missing.set(i, wanted);
            chooser.addToLevel(i, level);
            if (wanted && progress[i] == null) {
                chooser.markNotStarted(i);
            } else {
                chooser.clearNotStarted(i);
            }
        }
    }

    /**
     * True when {@code block} belongs to a piece that is no longer wanted and of which nothing arrived
     * yet: its request may be cancelled (a piece with data keeps going, so nothing received is lost).
     */
    public boolean cancellable(BlockRequest block) {
        PieceProgress p = lookup(block.pieceIndex());
        return levels[block.pieceIndex()] == 0 && p != null && !p.anyReceived();
    }

    /**
     * Forgets started pieces that are no longer wanted and of which nothing arrived (call once their
     * requests were cancelled): they are picked again only if wanted again.
     */
    public void forgetUnwantedUnstarted() {
        for (PieceProgress p : List.copyOf(inProgress.values())) {
            if (levels[p.pieceIndex] == 0 && !p.anyReceived()) {
                stop(p.pieceIndex);
            }
        }
    }

    /**
     * The pieces a reader needs next, in order (the first is needed soonest): they go before every other
     * piece, and the first few may be asked of two peers at once so one slow peer cannot hold the reader
     * up. Replaces the previous list; pieces already verified are left out.
     */
    public void setUrgent(List<Integer> pieces) {
        urgent.clear();
        for (int i : pieces) {
            if (i >= 0 && i < levels.length && !verified.get(i) && !urgent.contains(i)) {
                urgent.add(i);
            }
        }
    }

    /** The urgent pieces not verified yet, in order. */
    public boolean hasUrgent() {
        return !urgent.isEmpty();
    }

    public List<Integer> urgent() {
        urgent.removeIf(verified::get);
        return List.copyOf(urgent);
    }

    /** True for a piece a reader waits for (its blocks may be in flight from two peers). */
    public boolean isUrgent(int pieceIndex) {
        return !urgent.isEmpty() && urgent.contains(pieceIndex);
    }

    /** True when piece {@code pieceIndex} was started for a waiting reader (see {@link PieceProgress#urgent}). */
    public boolean startedUrgent(int pieceIndex) {
        PieceProgress p = lookup(pieceIndex);
        return p != null && p.urgent;
    }

    /** In sequential mode pieces are picked lowest index first (within a priority level). */
    public void setSequential(boolean on) {
        chooser.setSequential(on);
    }

    /** The priority level of piece {@code pieceIndex} (0 = not wanted). */
    public int level(int pieceIndex) {
        return levels[pieceIndex];
    }

    /** What happened to a block that arrived. */
    public enum Received {
        /** Never requested, already verified, or outside the torrent: ignore it. */
        UNEXPECTED,
        /** Another peer's copy arrived first (endgame): drop it. */
        DUPLICATE,
        /** New data; its piece still misses blocks. */
        ACCEPTED,
        /** New data and the last missing block of its piece: verify the piece now. */
        PIECE_COMPLETE
    }

    public PieceAvailability availability() {
        return availability;
    }

    /** True when {@code peerPieces} holds a wanted piece we do not have yet. */
    public boolean isInteresting(BitSet peerPieces) {
        return peerPieces.intersects(missing);
    }

    /** True when every wanted piece is verified. */
    public boolean isComplete() {
        return missing.isEmpty();
    }

    /** True when every piece of the torrent is verified, wanted or not. */
    public boolean hasEverything() {
        return verifiedCount == layout.pieceCount();
    }

    public boolean isVerified(int pieceIndex) {
        return verified.get(pieceIndex);
    }

    /**
     * Up to {@code maxBlocks} blocks to request from a peer that has {@code peerPieces}, marked as
     * requested. {@code inFlightFromPeer} are the peer's outstanding requests, never handed out twice;
     * the same set object must be passed for the same peer every time, as it also identifies the peer
     * for piece affinity.
     */
    public List<BlockRequest> pick(BitSet peerPieces, int maxBlocks, BlockSet inFlightFromPeer) {
        return pick(peerPieces, maxBlocks, inFlightFromPeer, true);
    }

    /**
     * As {@link #pick(BitSet, int, BlockSet)}; {@code fast} says whether the peer is fast enough to be given
     * urgent pieces (a reader waits for them: they go to the fastest peers).
     */
    public List<BlockRequest> pick(BitSet peerPieces, int maxBlocks, BlockSet inFlightFromPeer, boolean fast) {
        List<BlockRequest> out = new ArrayList<>(Math.max(0, maxBlocks));
        if (fast && !urgent.isEmpty()) {
            pickUrgent(peerPieces, maxBlocks, inFlightFromPeer, out);
        }
        // Piece affinity: finish this peer's own pieces first, so a bad piece has one author to blame.
        // The peer's in-flight set is its identity here (the swarm keeps one per peer).
        continueStarted(peerPieces, inFlightFromPeer, maxBlocks, out, inFlightFromPeer);
        // then pieces whose peer gave their blocks back (choke, close, timeout): finish them before new ones
        continueStarted(peerPieces, PieceProgress.ORPHAN, maxBlocks, out, inFlightFromPeer);
        while (out.size() < maxBlocks) {
            int next = chooser.choose(peerPieces, verifiedCount + inProgress.size() < RANDOM_FIRST_PIECES);
            if (next < 0) {
                break;
            }
            PieceProgress p = new PieceProgress(next, layout.pieceSize(next), startSeq++);
            inProgress.put(next, p);
            progress[next] = p;
            chooser.clearNotStarted(next);
            p.takeUnrequested(maxBlocks - out.size(), out, inFlightFromPeer);
            open.update(p);
        }
        continueStarted(peerPieces, null, maxBlocks, out, inFlightFromPeer); // then help with others' pieces
        if (out.isEmpty() && chooser.notStartedCount() == 0) {
            endgame(peerPieces, maxBlocks, inFlightFromPeer, out);
        }
        return out;
    }

    /** How many of the first urgent pieces may have their blocks asked of a second peer. */
    static final int URGENT_DUPLICATES = 2;

    /**
     * Urgent pieces first, in order: their unrequested blocks (starting them when needed), then, for the
     * first {@link #URGENT_DUPLICATES}, duplicates of blocks another peer still has in flight.
     */
    private void pickUrgent(BitSet peerPieces, int maxBlocks, BlockSet inFlightFromPeer, List<BlockRequest> out) {
        urgent.removeIf(verified::get);
        int rank = 0;
        for (int i : urgent) {
            if (out.size() >= maxBlocks) {
                return;
            }
            if (!peerPieces.get(i)) {
                rank++;
                continue;
            }
            PieceProgress p = progress[i];
            if (p == null) {
                p = new PieceProgress(i, layout.pieceSize(i), startSeq++);
                p.urgent = true;
                inProgress.put(i, p);
                progress[i] = p;
                chooser.clearNotStarted(i);
            }
            int before = out.size();
            p.takeUnrequested(maxBlocks - out.size(), out, inFlightFromPeer);
            if (rank < URGENT_DUPLICATES && out.size() == before) { // every block is asked for: ask again here
                p.takeDuplicates(maxBlocks - out.size(), inFlightFromPeer, out);
            }
            open.update(p);
            rank++;
        }
    }

    /**
     * Takes unrequested blocks of started pieces the peer has (only those {@code owner} last took from, when
     * given), in the order the pieces were started.
     */
    private void continueStarted(BitSet peerPieces, Object owner, int maxBlocks, List<BlockRequest> out, Object peer) {
        BitSet candidates = open.startedBy(owner);
        if (candidates == null || out.size() >= maxBlocks || !open.anyIn(peerPieces)) {
            return;
        }
        // taking re-indexes a piece, so first collect the ones that will be taken from, in order
        List<PieceProgress> chosen = new ArrayList<>(4);
        int blocks = 0;
        for (int q = candidates.nextSetBit(0); q >= 0; q = candidates.nextSetBit(q + 1)) {
            PieceProgress p = open.started(q);
            if (peerPieces.get(p.pieceIndex) && (levels[p.pieceIndex] > 0 || p.anyReceived())) {
                chosen.add(p);
                blocks += p.unrequested();
                if (blocks >= maxBlocks - out.size()) {
                    break;
                }
            }
        }
        for (PieceProgress p : chosen) {
            p.takeUnrequested(maxBlocks - out.size(), out, peer);
            open.update(p);
        }
    }

    /** Records an arriving block; see {@link Received}. */
    public Received blockReceived(BlockRequest block) {
        PieceProgress p = lookup(block.pieceIndex());
        if (p == null || !p.isBlock(block)) {
            return Received.UNEXPECTED;
        }
        boolean fresh = p.receive(block.begin());
        open.update(p);
        return fresh ? (p.isComplete() ? Received.PIECE_COMPLETE : Received.ACCEPTED) : Received.DUPLICATE;
    }

    /**
     * A request will not be answered (choke, cancel, disconnect, timeout): the block may be picked again,
     * and its piece goes first to the next peer that can help.
     */
    public void unrequest(BlockRequest block) {
        PieceProgress p = lookup(block.pieceIndex());
        if (p != null && p.isBlock(block)) {
            p.unrequest(block.begin());
            open.update(p);
        }
    }

    /**
     * How many requests for {@code block} are live (asked and neither answered by a received block of the
     * piece nor taken back): more than one only in endgame and for urgent pieces.
     */
    public int liveRequests(BlockRequest block) {
        PieceProgress p = lookup(block.pieceIndex());
        return p != null && p.isBlock(block) ? p.requests(block.begin()) : 0;
    }

    /** Piece {@code pieceIndex} hashed correctly and is on disk. */
    public void pieceVerified(int pieceIndex) {
        stop(pieceIndex);
        chooser.clearNotStarted(pieceIndex);
        if (!verified.get(pieceIndex)) {
            verified.set(pieceIndex);
            missing.clear(pieceIndex);
            verifiedCount++;
        }
    }

    /** Piece {@code pieceIndex} failed its hash: all its blocks are wanted again. */
    public void pieceFailed(int pieceIndex) {
        stop(pieceIndex);
        if (!verified.get(pieceIndex) && levels[pieceIndex] > 0) {
            chooser.markNotStarted(pieceIndex);
        }
    }

    private void stop(int pieceIndex) {
        PieceProgress p = lookup(pieceIndex);
        if (p != null) {
            open.remove(p);
            inProgress.remove(pieceIndex);
            progress[pieceIndex] = null;
        }
    }

    private PieceProgress lookup(int pieceIndex) {
        return pieceIndex >= 0 && pieceIndex < progress.length ? progress[pieceIndex] : null;
    }

    /** True once every wanted missing piece is started: duplicate requests are allowed from now on. */
    public boolean inEndgame() {
        return chooser.notStartedCount() == 0;
    }

    /** Wanted pieces not verified yet. */
    public int missingPieces() {
        return missing.cardinality();
    }

    private void endgame(BitSet peerPieces, int maxBlocks, BlockSet inFlightFromPeer, List<BlockRequest> out) {
        for (PieceProgress p : inProgress.values()) {
            if (peerPieces.get(p.pieceIndex) && levels[p.pieceIndex] > 0) {
                p.takeDuplicates(maxBlocks - out.size(), inFlightFromPeer, out);
                open.update(p);
                if (out.size() >= maxBlocks) {
                    return;
                }
            }
        }
    }
}
