package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage.Request;
import io.kadtorrent.torrent.layout.PieceLayout;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The leecher's credit ({@link Uploads#overdrawn}): who is cut off, when, and who never is. */
class UploadCreditTest {

    private static final int PIECE = 128 * 1024;
    private static final int PIECES = 64;

    private record Link(String name) implements PeerLink {
    }

    private final Uploads uploads = new Uploads(PieceLayout.ofLengths(new long[] {(long) PIECE * PIECES}, PIECE));
    private final Choking choking = new Choking(4, new Random(1), new Outbox());
    private final BitSet verified = all();
    private final List<BlockRequest> sent = new ArrayList<>();

    private static BitSet all() {
        BitSet b = new BitSet();
        b.set(0, PIECES);
        return b;
    }

    /** A peer that wants our pieces and that we unchoked; it chokes us (a new connection's state). */
    private static PeerState downloader(String name, boolean weWantItsPieces) {
        return downloader(name, weWantItsPieces, 0);
    }

    private static PeerState downloader(String name, boolean weWantItsPieces, long connectedAt) {
        PeerState s = new PeerState(new Link(name), new InetSocketAddress("10.0.0.1", 6881), new byte[20], true,
                connectedAt);
        s.peerInterested = true;
        s.amChoking = false;
        s.amInterested = weWantItsPieces;
        return s;
    }

    /** {@code s} asks for every block of pieces [from, to); returns the bytes we handed out. */
    private long ask(PeerState s, int from, int to) {
        sent.clear();
        for (int p = from; p < to; p++) {
            for (int begin = 0; begin < PIECE; begin += BlockRequest.BLOCK_SIZE) {
                uploads.enqueue(s, new Request(p, begin, BlockRequest.BLOCK_SIZE), verified);
            }
        }
        long bytes = 0;
        for (int round = 0; round < 100 && !s.uploadQueue.isEmpty(); round++) {
            s.burstsInFlight = 0; // the runtime reported every burst sent
            int before = sent.size();
            uploads.drain(s, 0, (peer, block, report) -> sent.add(block));
            if (sent.size() == before) {
                break;
            }
        }
        for (BlockRequest b : sent) {
            bytes += b.lengthBytes();
        }
        return bytes;
    }

    @Test
    void aPeerThatRefusesUsGetsTheCreditThenNothingUntilItSendsABlock() {
        PeerState rider = downloader("rider", true);
        judge(rider);
        assertTrue(rider.refusedUs);
        assertEquals(Uploads.MIN_CREDIT_BYTES, ask(rider, 0, 8), "two 128 KiB pieces, then no more");
        assertTrue(uploads.overdrawn(rider));
        choking.rechoke(30_000, false, List.of(rider), uploads);
        assertFalse(rider.amChoking, "nobody else wants the slot");
        assertEquals(0, ask(rider, 8, 9), "but its requests wait for a block from it");

        rider.recordReceived(BlockRequest.BLOCK_SIZE, 21_000); // it gave something back
        assertFalse(uploads.overdrawn(rider));
    }

    @Test
    void aSpentCreditIsRenewedAfterTwoMinutes() {
        PeerState peer = downloader("busy", true);
        judge(peer);
        ask(peer, 0, 8);
        assertTrue(uploads.overdrawn(peer));
        choking.rechoke(30_000, false, List.of(peer), uploads);
        choking.rechoke(30_000 + PeerState.CREDIT_RENEWAL_MILLIS, false, List.of(peer), uploads);
        assertFalse(uploads.overdrawn(peer), "two honest peers that choked each other are not shut out for good");
    }

    /** Rechokes at 10 and 20 s: the peers choke us at both while we want their pieces. */
    private void judge(PeerState... peers) {
        choking.rechoke(10_000, false, List.of(peers), uploads);
        choking.rechoke(20_000, false, List.of(peers), uploads);
    }

    @Test
    void aPeerIsJudgedOnlyOnceConnectedForAWholeRechokePeriod() {
        PeerState newcomer = downloader("newcomer", true, 5_000);
        choking.rechoke(5_000, false, List.of(newcomer), uploads);
        choking.rechoke(5_001, false, List.of(newcomer), uploads); // the extra pass a freed slot starts
        choking.rechoke(14_000, false, List.of(newcomer), uploads);
        assertFalse(newcomer.refusedUs, "connected 9 s ago: not judged yet");
        assertEquals(8L * PIECE, ask(newcomer, 0, 8), "so no credit applies");
        choking.rechoke(15_000, false, List.of(newcomer), uploads);
        choking.rechoke(15_001, false, List.of(newcomer), uploads);
        assertTrue(newcomer.refusedUs, "a whole period, then two passes in a row");
        assertTrue(uploads.overdrawn(newcomer));
    }

    @Test
    void overdrawnPeersTakeTheSlotsNobodyElseWantsButNoBlocks() {
        List<PeerState> spent = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PeerState s = downloader("spent" + i, true);
            s.amChoking = true;
            spent.add(s);
        }
        judge(spent.toArray(PeerState[]::new));
        for (PeerState s : spent) {
            s.amChoking = false;
            ask(s, 0, 8);
            s.amChoking = true;
            assertTrue(uploads.overdrawn(s));
        }
        choking.rechoke(30_000, false, spent, uploads);
        assertEquals(4, spent.stream().filter(s -> !s.amChoking).count(), "every interested peer is overdrawn: "
                + "all four slots are still handed out, none stays empty");
        for (PeerState s : spent) {
            assertEquals(0, ask(s, 8, 9), "an overdrawn peer's requests wait for a block from it");
        }

        PeerState fresh = downloader("fresh", true);
        fresh.amChoking = true;
        List<PeerState> all = new ArrayList<>(spent);
        all.add(fresh);
        choking.interested(30_001, fresh, all, uploads);
        assertFalse(fresh.amChoking, "a newcomer takes an overdrawn peer's slot at once");
        assertEquals(4, all.stream().filter(s -> !s.amChoking).count());
        choking.rechoke(40_000, false, all, uploads);
        assertFalse(fresh.amChoking, "a peer in credit ranks before every overdrawn one");
        assertEquals(4, all.stream().filter(s -> !s.amChoking).count());
        assertEquals(PIECE, ask(fresh, 8, 9));
    }

    @Test
    void aPeerThatNeverHadAnythingWeWantedIsNeverCutOff() {
        PeerState downloader = downloader("partial seed's downloader", false);
        for (long t = 0; t <= 60_000; t += 10_000) {
            choking.rechoke(t, false, List.of(downloader), uploads);
        }
        assertEquals((long) PIECES * PIECE, ask(downloader, 0, PIECES), "a partial seed serves it everything");
        assertFalse(uploads.overdrawn(downloader));
    }

    @Test
    void seedsGiveWithoutCounting() {
        PeerState peer = downloader("any", true);
        uploads.setSeeding(true);
        choking.rechoke(0, true, List.of(peer), uploads);
        choking.rechoke(10_000, true, List.of(peer), uploads);
        assertEquals((long) PIECES * PIECE, ask(peer, 0, PIECES));
    }

    @Test
    void aPieceCountsOnceAsGivenWhateverItsRecipientsAlternate() {
        PeerState a = downloader("a", false);
        PeerState b = downloader("b", false);
        for (int round = 0; round < 4; round++) {
            ask(a, 0, 1);
            ask(b, 0, 1);
        }
        assertEquals(1, a.piecesGiven.cardinality());
        assertEquals(1, b.piecesGiven.cardinality());
        assertFalse(a.hoards(), "one piece given, however often: too few to judge");
        uploads.announced(downloader("c", false), 0);
        assertEquals(1, b.piecesSpread.cardinality(), "b got it last: b passed it on");
        assertEquals(0, a.piecesSpread.cardinality());
    }

    @Test
    void aClosedPeerIsForgottenAsAPiecesLastRecipient() {
        PeerState gone = downloader("gone", false);
        ask(gone, 0, 2);
        assertEquals(gone, uploads.lastGivenTo(1));
        uploads.forget(gone);
        assertNull(uploads.lastGivenTo(0));
        assertNull(uploads.lastGivenTo(1));
        uploads.announced(downloader("c", false), 0);
        assertEquals(0, gone.piecesSpread.cardinality());
    }
}
