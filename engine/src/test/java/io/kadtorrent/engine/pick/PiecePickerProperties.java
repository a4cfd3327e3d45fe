package io.kadtorrent.engine.pick;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.layout.PieceLayout;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the picker with random peers, deliveries, losses and hash failures, checking its books
 * after every step: blocks lie inside their piece, only pieces the peer has and we lack are asked
 * for, no block is outstanding twice before endgame, and the download always finishes.
 */
class PiecePickerProperties {

    @Property(tries = 200)
    void everyRunCompletesWithConsistentBookkeeping(@ForAll @LongRange(min = 1, max = 3_000_000) long totalBytes,
                                                    @ForAll @IntRange(min = 0, max = 3) int pieceShift,
                                                    @ForAll @IntRange(min = 1, max = 5) int peerCount,
                                                    @ForAll long seed) {
        int pieceLength = (16 * 1024) << pieceShift;
        PieceLayout layout = PieceLayout.ofLengths(new long[]{totalBytes / 3, 0, totalBytes - totalBytes / 3}, pieceLength);
        Random r = new Random(seed);
        PiecePicker picker = new PiecePicker(layout, new BitSet(), new SplittableRandom(seed));
        List<BitSet> peerPieces = new ArrayList<>();
        List<BlockSet> inFlight = new ArrayList<>();
        for (int p = 0; p < peerCount; p++) {
            BitSet has = new BitSet();
            for (int i = 0; i < layout.pieceCount(); i++) {
                if (p == 0 || r.nextInt(3) > 0) {
                    has.set(i); // peer 0 is a seed, so the download can always finish
                }
            }
            peerPieces.add(has);
            inFlight.add(new BlockSet());
            picker.availability().addPeer(has);
        }
        Map<Integer, Integer> received = new HashMap<>();
        boolean failedOnce = false;
        for (int step = 0; step < 200_000 && !picker.isComplete(); step++) {
            int p = r.nextInt(peerCount);
            boolean endgameBefore = picker.inEndgame();
            List<BlockRequest> picked = picker.pick(peerPieces.get(p), 1 + r.nextInt(20), inFlight.get(p));
            for (BlockRequest b : picked) {
                assertTrue(peerPieces.get(p).get(b.pieceIndex()), "peer has the piece");
                assertFalse(picker.isVerified(b.pieceIndex()), "we lack the piece");
                assertTrue(b.begin() % BlockRequest.BLOCK_SIZE == 0
                        && b.begin() + b.lengthBytes() <= layout.pieceSize(b.pieceIndex()), "inside the piece");
                if (!endgameBefore) {
                    assertTrue(inFlight.stream().noneMatch(set -> set.contains(b)), "duplicates only in endgame");
                }
                assertTrue(inFlight.get(p).add(b), "never the same block twice to one peer");
            }
            // deliver, lose or keep some of this peer's requests
            for (BlockRequest b : inFlight.get(p).toList()) {
                int action = r.nextInt(10);
                if (action < 6) {
                    inFlight.get(p).remove(b);
                    PiecePicker.Received got = picker.blockReceived(b);
                    for (BlockSet other : inFlight) {
                        if (other.remove(b)) {
                            picker.unrequest(b); // like the swarm: cancel endgame duplicates
                        }
                    }
                    if (got == PiecePicker.Received.PIECE_COMPLETE) {
                        boolean fail = !failedOnce && r.nextInt(4) == 0;
                        failedOnce |= fail;
                        if (fail) {
                            picker.pieceFailed(b.pieceIndex());
                            int failed = b.pieceIndex(); // like the swarm: forget requests of the failed round
                            inFlight.forEach(set -> set.removePiece(failed));
                        } else {
                            picker.pieceVerified(b.pieceIndex());
                            received.merge(b.pieceIndex(), 1, Integer::sum);
                        }
                    }
                } else if (action == 6) {
                    inFlight.get(p).remove(b);
                    picker.unrequest(b);
                }
            }
        }
        assertTrue(picker.isComplete(), "download finished");
        for (int i = 0; i < layout.pieceCount(); i++) {
            assertEquals(1, received.getOrDefault(i, 0), "piece " + i + " verified exactly once");
        }
    }

    @Property(tries = 50)
    void afterRandomFirstPiecesTheRarestIsPickedFirst(@ForAll long seed) {
        PieceLayout layout = PieceLayout.ofLengths(new long[]{40L * 16384}, 16384);
        PiecePicker picker = new PiecePicker(layout, new BitSet(), new SplittableRandom(seed));
        BitSet all = new BitSet();
        all.set(0, 40);
        picker.availability().addPeer(all);
        picker.availability().addPeer(all);
        BitSet rare = new BitSet();
        rare.set(10, 30);
        picker.availability().removePeer(rare); // pieces 10..29 now have one copy, the rest two
        BlockSet none = new BlockSet();
        List<BlockRequest> first = picker.pick(all, PiecePicker.RANDOM_FIRST_PIECES, none);
        assertEquals(PiecePicker.RANDOM_FIRST_PIECES, first.size());
        List<BlockRequest> next = picker.pick(all, 5, none);
        for (BlockRequest b : next) {
            assertTrue(b.pieceIndex() >= 10 && b.pieceIndex() < 30, "rarest first: " + b);
        }
    }
}
