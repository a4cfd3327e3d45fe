package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leecher's credit to peers that choke it ({@link Uploads#overdrawn}): a free-rider gets
 * {@link Uploads#MIN_CREDIT_BYTES} and is choked, a peer that gives back is served again, a spent credit is
 * renewed, a seed gives without counting.
 */
class UploadCreditTest {

    private static final int PIECE = 32 * 1024;
    private static final int PIECES = 100;
    private static final int BLOCK = BlockRequest.BLOCK_SIZE;
    private static final InetSocketAddress RIDER = new InetSocketAddress("127.0.0.1", 7003);

    @TempDir
    Path tmp;
    private Metainfo metainfo;
    private final Link rider = new Link("rider");

    private record Link(String name) implements PeerLink {
    }

    @BeforeEach
    void torrent() throws Exception {
        metainfo = TestTorrents.singleFile(tmp, "f.bin", PIECES * PIECE, PIECE, 1);
    }

    /** A core holding {@code have} pieces, connected to a peer with the other half that wants ours and chokes us. */
    private SwarmCore coreWithChokingPeer(BitSet have) {
        SwarmCore core = SwarmCore.forTorrent(metainfo, have, SwarmConfig.defaults(), new SplittableRandom(3), 0);
        assertTrue(core.peerConnected(0, rider, RIDER, new byte[20], false, false));
        BitSet theirs = new BitSet();
        theirs.set(PIECES / 2, PIECES);
        core.peerMessage(0, rider, PeerMessage.Bitfield.of(theirs, PIECES));
        core.peerMessage(0, rider, new PeerMessage.Interested());
        return core;
    }

    private static BitSet firstHalf() {
        BitSet half = new BitSet();
        half.set(0, PIECES / 2);
        return half;
    }

    /** The peer asks for every block of our first {@code pieces} pieces; returns what the core did. */
    private static List<SwarmAction> requestPieces(SwarmCore core, Link from, long now, int pieces) {
        for (int p = 0; p < pieces; p++) {
            for (int begin = 0; begin < PIECE; begin += BLOCK) {
                core.peerMessage(now, from, new PeerMessage.Request(p, begin, BLOCK));
            }
        }
        return drain(core);
    }

    /** Reports every burst as sent until the core hands out no more blocks; returns all it did meanwhile. */
    private static List<SwarmAction> sendAll(SwarmCore core, Link to, long now, List<SwarmAction> actions) {
        List<SwarmAction> all = new ArrayList<>(actions);
        long reports = actions.stream().filter(a -> a instanceof SwarmAction.SendBlock b && b.reportSent()).count();
        while (reports > 0) {
            core.peerSent(now, to);
            List<SwarmAction> more = drain(core);
            all.addAll(more);
            reports += more.stream().filter(a -> a instanceof SwarmAction.SendBlock b && b.reportSent()).count() - 1;
        }
        return all;
    }

    private static List<SwarmAction> drain(SwarmCore core) {
        List<SwarmAction> out = new ArrayList<>();
        for (SwarmAction a = core.poll(); a != null; a = core.poll()) {
            out.add(a);
        }
        return out;
    }

    private static long blockBytes(List<SwarmAction> actions) {
        return actions.stream().filter(a -> a instanceof SwarmAction.SendBlock)
                .mapToLong(a -> ((SwarmAction.SendBlock) a).block().lengthBytes()).sum();
    }

    private static boolean sends(List<SwarmAction> actions, Class<? extends PeerMessage> type) {
        return actions.stream().anyMatch(a -> a instanceof SwarmAction.Send s && type.isInstance(s.message()));
    }

    @Test
    void aLeecherGivesAPeerThatChokesItOnlyItsCreditThenChokesIt() {
        SwarmCore core = coreWithChokingPeer(firstHalf());
        List<SwarmAction> unchoke = drain(core);
        assertTrue(sends(unchoke, PeerMessage.Unchoke.class), "a newcomer gets a slot");
        List<SwarmAction> served = sendAll(core, rider, 1, requestPieces(core, rider, 1, 40));
        assertEquals(Uploads.MIN_CREDIT_BYTES, blockBytes(served), "the credit, and not a block more");
        assertTrue(sends(served, PeerMessage.Choke.class), "choked at once, its slot free for another");
        core.timer(Choker.RECHOKE_INTERVAL.toMillis() * 4);
        List<SwarmAction> later = drain(core);
        assertFalse(sends(later, PeerMessage.Unchoke.class), "no slot, not even the optimistic one, until it gives back");
    }

    @Test
    void aPeerThatGivesBackIsServedAgain() {
        SwarmCore core = coreWithChokingPeer(firstHalf());
        drain(core);
        sendAll(core, rider, 1, requestPieces(core, rider, 1, 40));
        core.peerMessage(2, rider, new PeerMessage.Unchoke());
        List<SwarmAction> asked = drain(core);
        BlockRequest wanted = asked.stream().filter(a -> a instanceof SwarmAction.SendRequests)
                .map(a -> ((SwarmAction.SendRequests) a).blocks().get(0)).findFirst().orElseThrow();
        core.peerMessage(3, rider, PeerMessage.Piece.of(wanted.pieceIndex(), wanted.begin(), new byte[wanted.lengthBytes()]));
        drain(core);
        core.timer(Choker.RECHOKE_INTERVAL.toMillis() * 2);
        assertTrue(sends(drain(core), PeerMessage.Unchoke.class), "a block back clears what it owed");
    }

    @Test
    void aSpentCreditIsRenewedLater() {
        SwarmCore core = coreWithChokingPeer(firstHalf());
        drain(core);
        sendAll(core, rider, 1, requestPieces(core, rider, 1, 40));
        long renewed = 1 + Uploads.CREDIT_RENEWAL_MILLIS;
        long unchokedAt = -1;
        for (long t = 2; t <= renewed + Choker.RECHOKE_INTERVAL.toMillis() && unchokedAt < 0; t += 1_000) {
            core.timer(t);
            if (sends(drain(core), PeerMessage.Unchoke.class)) {
                unchokedAt = t;
            }
        }
        assertTrue(unchokedAt >= renewed, "its slot back at the first rechoke after the renewal: " + unchokedAt);
        List<SwarmAction> served = sendAll(core, rider, unchokedAt, requestPieces(core, rider, unchokedAt, 40));
        assertEquals(Uploads.MIN_CREDIT_BYTES, blockBytes(served), "and a fresh credit");
    }

    @Test
    void aSeedGivesWithoutCounting() {
        BitSet all = new BitSet();
        all.set(0, PIECES);
        SwarmCore core = SwarmCore.forTorrent(metainfo, all, SwarmConfig.defaults(), new SplittableRandom(3), 0);
        assertTrue(core.peerConnected(0, rider, RIDER, new byte[20], false, false));
        core.peerMessage(0, rider, new PeerMessage.Interested());
        drain(core);
        List<SwarmAction> served = sendAll(core, rider, 1, requestPieces(core, rider, 1, 40));
        assertEquals(40L * PIECE, blockBytes(served));
        assertFalse(sends(served, PeerMessage.Choke.class));
    }
}
