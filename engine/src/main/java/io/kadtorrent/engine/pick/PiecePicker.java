package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.layout.PieceLayout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Chooses which 16 KiB blocks to request from a peer and keeps strict block-level books: which blocks
 * are requested (and how often), which arrived, which pieces are complete. Policy (BEP 3 practice):
 * finish the peer's own started pieces, then a few random first pieces, then rarest-first with random
 * ties; once every missing block is requested, endgame hands out duplicates of the blocks still in
 * flight so a slow peer cannot stall the end. Not thread-safe: the swarm confines it to one lock.
 */
public final class PiecePicker {

    /** Pieces picked at random before rarest-first starts, so a new peer soon has something to trade. */
    static final int RANDOM_FIRST_PIECES = 4;

    private final PieceLayout layout;
    private final BitSet verified;
    private final PieceAvailability availability;
    private final RandomGenerator random;
    private final Map<Integer, PieceProgress> inProgress = new LinkedHashMap<>();

    public PiecePicker(PieceLayout layout, BitSet verified, RandomGenerator random) {
        this.layout = layout;
        this.verified = (BitSet) verified.clone();
        this.availability = new PieceAvailability(layout.pieceCount());
        this.random = random;
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

    /** True when {@code peerPieces} holds a piece we still need. */
    public boolean isInteresting(BitSet peerPieces) {
        BitSet wanted = (BitSet) peerPieces.clone();
        wanted.andNot(verified);
        return wanted.nextSetBit(0) >= 0 && wanted.nextSetBit(0) < layout.pieceCount();
    }

    public boolean isComplete() {
        return verified.cardinality() == layout.pieceCount();
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
    public List<BlockRequest> pick(BitSet peerPieces, int maxBlocks, Set<BlockRequest> inFlightFromPeer) {
        List<BlockRequest> out = new ArrayList<>(Math.max(0, maxBlocks));
        // Piece affinity: finish this peer's own pieces first, so a bad piece has one author to blame.
        // The peer's in-flight set is its identity here (the swarm keeps one per peer).
        continueStarted(peerPieces, inFlightFromPeer, maxBlocks, out, inFlightFromPeer);
        // then pieces whose peer gave their blocks back (choke, close, timeout): finish them before new ones
        continueStarted(peerPieces, PieceProgress.ORPHAN, maxBlocks, out, inFlightFromPeer);
        while (out.size() < maxBlocks) {
            int next = choosePiece(peerPieces);
            if (next < 0) {
                break;
            }
            PieceProgress p = new PieceProgress(next, layout.pieceSize(next));
            inProgress.put(next, p);
            p.takeUnrequested(maxBlocks - out.size(), out, inFlightFromPeer);
        }
        continueStarted(peerPieces, null, maxBlocks, out, inFlightFromPeer); // then help with others' pieces
        if (out.isEmpty() && notStartedCount() == 0) {
            endgame(peerPieces, maxBlocks, inFlightFromPeer, out);
        }
        return out;
    }

    /** Takes unrequested blocks of started pieces the peer has (only those {@code owner} last took from, when given). */
    private void continueStarted(BitSet peerPieces, Object owner, int maxBlocks, List<BlockRequest> out, Object peer) {
        for (PieceProgress p : inProgress.values()) {
            if (out.size() >= maxBlocks) {
                return;
            }
            if (p.unrequested() > 0 && (owner == null || p.lastTaker() == owner) && peerPieces.get(p.pieceIndex)) {
                p.takeUnrequested(maxBlocks - out.size(), out, peer);
            }
        }
    }

    /** Records an arriving block; see {@link Received}. */
    public Received blockReceived(BlockRequest block) {
        PieceProgress p = inProgress.get(block.pieceIndex());
        if (p == null || !p.isBlock(block)) {
            return Received.UNEXPECTED;
        }
        return p.receive(block.begin()) ? (p.isComplete() ? Received.PIECE_COMPLETE : Received.ACCEPTED)
                : Received.DUPLICATE;
    }

    /**
     * A request will not be answered (choke, cancel, disconnect, timeout): the block may be picked again,
     * and its piece goes first to the next peer that can help.
     */
    public void unrequest(BlockRequest block) {
        PieceProgress p = inProgress.get(block.pieceIndex());
        if (p != null && p.isBlock(block)) {
            p.unrequest(block.begin());
        }
    }

    /** Piece {@code pieceIndex} hashed correctly and is on disk. */
    public void pieceVerified(int pieceIndex) {
        inProgress.remove(pieceIndex);
        verified.set(pieceIndex);
    }

    /** Piece {@code pieceIndex} failed its hash: all its blocks are wanted again. */
    public void pieceFailed(int pieceIndex) {
        inProgress.remove(pieceIndex);
    }

    /** True once every missing piece is started: duplicate requests are allowed from now on. */
    public boolean inEndgame() {
        return notStartedCount() == 0;
    }

    public int missingPieces() {
        return layout.pieceCount() - verified.cardinality();
    }

    private int notStartedCount() {
        return missingPieces() - inProgress.size();
    }

    /** Random among the first few pieces, then rarest-first with a random tie-break; -1 if none fits. */
    private int choosePiece(BitSet peerPieces) {
        boolean randomFirst = verified.cardinality() + inProgress.size() < RANDOM_FIRST_PIECES;
        int chosen = -1;
        int best = Integer.MAX_VALUE;
        int ties = 0;
        for (int i = peerPieces.nextSetBit(0); i >= 0 && i < layout.pieceCount(); i = peerPieces.nextSetBit(i + 1)) {
            if (verified.get(i) || inProgress.containsKey(i)) {
                continue;
            }
            int rank = randomFirst ? 0 : availability.count(i);
            if (rank < best) {
                best = rank;
                chosen = i;
                ties = 1;
            } else if (rank == best && random.nextInt(++ties) == 0) {
                chosen = i; // reservoir sampling: each tied piece equally likely
            }
        }
        return chosen;
    }

    private void endgame(BitSet peerPieces, int maxBlocks, Set<BlockRequest> inFlightFromPeer, List<BlockRequest> out) {
        for (PieceProgress p : inProgress.values()) {
            if (peerPieces.get(p.pieceIndex)) {
                p.takeDuplicates(maxBlocks - out.size(), inFlightFromPeer, out);
                if (out.size() >= maxBlocks) {
                    return;
                }
            }
        }
    }
}
