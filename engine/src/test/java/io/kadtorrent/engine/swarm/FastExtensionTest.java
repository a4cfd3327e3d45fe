package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionCodec;
import io.kadtorrent.engine.ext.ExtensionHandshake;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.testing.TestTorrents.TestFile;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The swarm core with BEP 6 (Fast), BEP 21 (upload_only), reqq and yourip peers, in virtual time. */
class FastExtensionTest extends SwarmCoreFixture {

    // ---- helpers ----

    /** Every piece but the last: a downloader with something to offer. */
    private BitSet allButLast() {
        BitSet pieces = all();
        pieces.clear(metainfo.pieceCount() - 1);
        return pieces;
    }

    /** A handshake with our reserved bits: BEP 10, BEP 6 and the DHT. */
    private Handshake fastHandshake(Link link) {
        return new Handshake(Handshake.ourReserved(), metainfo.infoHash(), peerId(link));
    }

    private static <M extends PeerMessage> List<M> sent(List<SwarmAction> actions, Class<M> type) {
        return of(actions, SwarmAction.Send.class).stream().map(SwarmAction.Send::message).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private static List<BlockRequest> requested(List<SwarmAction> actions, PeerLink to) {
        return of(actions, SwarmAction.SendRequests.class).stream().filter(r -> r.peer().equals(to))
                .flatMap(r -> r.blocks().stream()).toList();
    }

    private static boolean closed(List<SwarmAction> actions, PeerLink link) {
        return of(actions, SwarmAction.Close.class).stream().anyMatch(c -> c.peer().equals(link));
    }

    private static ExtensionHandshake ourHandshake(List<SwarmAction> actions) throws Exception {
        ExtensionHandshake found = null;
        for (PeerMessage.Extended e : sent(actions, PeerMessage.Extended.class)) {
            if (e.extendedId() == ExtensionCodec.HANDSHAKE_ID) {
                found = (ExtensionHandshake) ExtensionCodec.decode(e.extendedId(), e.payload()).orElseThrow();
            }
        }
        return found;
    }

    private static PeerMessage.Extended handshakeMessage(ExtensionHandshake h) {
        return new PeerMessage.Extended(ExtensionCodec.HANDSHAKE_ID, ExtensionCodec.encode(h));
    }

    // ---- what we announce ----

    @Test
    void aFastPeerHearsHaveNoneFromAnEmptyCoreAndHaveAllFromASeedInsteadOfABitfield() {
        SwarmCore empty = core(new BitSet());
        Link p = new Link("p");
        assertTrue(empty.peerConnected(0, p, A, fastHandshake(p), true));
        List<SwarmAction> out = drain(empty);
        assertEquals(1, sent(out, PeerMessage.HaveNone.class).size());
        assertTrue(sent(out, PeerMessage.Bitfield.class).isEmpty());

        SwarmCore seed = core(all());
        assertTrue(seed.peerConnected(0, p, A, fastHandshake(p), true));
        out = drain(seed);
        assertEquals(1, sent(out, PeerMessage.HaveAll.class).size());
        assertTrue(sent(out, PeerMessage.Bitfield.class).isEmpty());

        SwarmCore plain = core(all()); // a peer without the Fast bit gets the BEP 3 bitfield
        assertTrue(plain.peerConnected(0, p, A, peerId(p), true, true));
        out = drain(plain);
        assertEquals(1, sent(out, PeerMessage.Bitfield.class).size());
        assertTrue(sent(out, PeerMessage.HaveAll.class).isEmpty());
    }

    @Test
    void aPeerSendingFastMessagesWithoutTheFastBitIsDropped() {
        for (PeerMessage m : List.of(new PeerMessage.HaveNone(), new PeerMessage.RejectRequest(0, 0, 16384),
                new PeerMessage.HaveAll(), new PeerMessage.AllowedFast(1), new PeerMessage.SuggestPiece(1))) {
            SwarmCore core = core(new BitSet());
            Link p = new Link("plain");
            assertTrue(core.peerConnected(0, p, A, peerId(p), true, true));
            drain(core);
            core.peerMessage(1, p, m);
            List<SwarmAction> out = drain(core);
            assertTrue(of(out, SwarmAction.Close.class).stream().anyMatch(c -> c.peer().equals(p) && c.misbehaved()),
                    m + " without the Fast bit closes the connection");
        }
    }

    // ---- allowed fast, serving ----

    @Test
    void aPeerWithNothingGetsTheCanonicalAllowedFastSetAndOnlyThatIsServedWhileChoked() throws Exception {
        SwarmCore seed = core(allButLast());
        Link p = new Link("new");
        assertTrue(seed.peerConnected(0, p, A, fastHandshake(p), true));
        drain(seed);
        seed.peerMessage(1, p, new PeerMessage.HaveNone());
        List<Integer> offered = sent(drain(seed), PeerMessage.AllowedFast.class).stream()
                .map(PeerMessage.AllowedFast::pieceIndex).toList();
        List<Integer> canonical = new ArrayList<>(AllowedFastSet.of((Inet4Address) A.getAddress(), metainfo.infoHash(),
                metainfo.pieceCount(), FastExtension.ALLOWED_FAST_K));
        canonical.remove(Integer.valueOf(metainfo.pieceCount() - 1)); // only pieces we have
        assertEquals(canonical, offered);

        int allowed = offered.get(0);
        int other = 0;
        while (offered.contains(other)) {
            other++;
        }
        // still choked: no interest sent, so no slot
        seed.peerMessage(2, p, new PeerMessage.Request(other, 0, 16384));
        seed.peerMessage(2, p, new PeerMessage.Request(allowed, 0, 16384));
        List<SwarmAction> out = drain(seed);
        assertEquals(List.of(new PeerMessage.RejectRequest(other, 0, 16384)), sent(out, PeerMessage.RejectRequest.class));
        assertEquals(List.of(new BlockRequest(allowed, 0, 16384)),
                of(out, SwarmAction.SendBlock.class).stream().map(SwarmAction.SendBlock::block).toList());
    }

    @Test
    void aChokedPeerMayFetchItsAllowedFastPiecesOnlyAFewTimesOver() {
        SwarmCore core = core(allButLast());
        Link p = new Link("greedy");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        core.peerMessage(0, p, new PeerMessage.HaveNone());
        List<Integer> offered = sent(drain(core), PeerMessage.AllowedFast.class).stream()
                .map(PeerMessage.AllowedFast::pieceIndex).toList();
        long budgetBlocks = (long) Uploads.ALLOWED_FAST_COPIES * offered.size() * PIECE / 16384;
        int asked = (int) budgetBlocks + 5;
        List<SwarmAction> out = new ArrayList<>();
        for (int i = 0; i < asked; i++) { // the same block again and again, each burst reported sent
            core.peerMessage(1, p, new PeerMessage.Request(offered.get(0), 0, 16384));
            core.peerSent(1, p);
            out.addAll(drain(core));
        }
        assertEquals(budgetBlocks, of(out, SwarmAction.SendBlock.class).size());
        assertEquals(5, sent(out, PeerMessage.RejectRequest.class).size());
    }

    @Test
    void aPeerWithManyPiecesGetsNoAllowedFastSetAndASeedGivesNone() {
        SwarmCore core = core(allButLast());
        Link p = new Link("rich");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        drain(core);
        BitSet half = new BitSet();
        half.set(0, metainfo.pieceCount() / 2);
        core.peerMessage(1, p, PeerMessage.Bitfield.of(half, metainfo.pieceCount()));
        assertTrue(sent(drain(core), PeerMessage.AllowedFast.class).isEmpty());

        SwarmCore seed = core(all());
        assertTrue(seed.peerConnected(0, p, A, fastHandshake(p), true));
        seed.peerMessage(1, p, new PeerMessage.HaveNone());
        assertTrue(sent(drain(seed), PeerMessage.AllowedFast.class).isEmpty());
    }

    @Test
    void chokingAFastPeerRejectsItsQueuedRequestsExceptAllowedFastOnes() {
        Outbox outbox = new Outbox();
        PeerState s = new PeerState(new Link("q"), A, new byte[20], true, 0);
        s.fast = true;
        s.allowedFastToPeer.set(3);
        s.uploadQueue.add(new BlockRequest(1, 0, 16384));
        s.uploadQueue.add(new BlockRequest(3, 0, 16384));
        s.uploadQueue.add(new BlockRequest(2, 16384, 16384));
        Uploads.discardQueueOnChoke(s, outbox);
        List<PeerMessage> rejects = new ArrayList<>();
        for (SwarmAction a = outbox.poll(); a != null; a = outbox.poll()) {
            rejects.add(((SwarmAction.Send) a).message());
        }
        assertEquals(List.of(new PeerMessage.RejectRequest(1, 0, 16384), new PeerMessage.RejectRequest(2, 16384, 16384)),
                rejects);
        assertEquals(List.of(new BlockRequest(3, 0, 16384)), List.copyOf(s.uploadQueue), "allowed fast is still served");

        s.fast = false; // BEP 3: the queue is simply discarded
        Uploads.discardQueueOnChoke(s, outbox);
        assertTrue(s.uploadQueue.isEmpty());
        assertEquals(null, outbox.poll());
    }

    @Test
    void aCancelledRequestFromAFastPeerIsRejected() {
        SwarmCore seed = core(all());
        Link p = new Link("cancel");
        assertTrue(seed.peerConnected(0, p, A, fastHandshake(p), true));
        seed.peerMessage(1, p, new PeerMessage.Interested()); // a free slot: unchoked at once
        assertEquals(1, sent(drain(seed), PeerMessage.Unchoke.class).size());
        int burstRoom = Uploads.BURST_BLOCKS * Uploads.MAX_BURSTS_IN_FLIGHT;
        for (int i = 0; i <= burstRoom; i++) { // one more than goes out at once: it waits in the queue
            seed.peerMessage(2, p, new PeerMessage.Request(i / 2, (i % 2) * 16384, 16384));
        }
        drain(seed);
        BlockRequest waiting = new BlockRequest(burstRoom / 2, (burstRoom % 2) * 16384, 16384);
        seed.peerMessage(3, p, new PeerMessage.Cancel(waiting.pieceIndex(), waiting.begin(), waiting.lengthBytes()));
        assertEquals(List.of(PeerMessage.RejectRequest.of(waiting)), sent(drain(seed), PeerMessage.RejectRequest.class));
    }

    // ---- downloading from Fast peers ----

    @Test
    void aFastPeersChokeKeepsOurRequestsUntilItRejectsThemAndRejectedBlocksGoToAnotherPeer() {
        SwarmCore core = core(new BitSet());
        Link a = new Link("a");
        Link b = new Link("b");
        assertTrue(core.peerConnected(0, a, A, fastHandshake(a), true));
        core.peerMessage(0, a, new PeerMessage.HaveAll());
        core.peerMessage(0, a, new PeerMessage.Unchoke());
        List<BlockRequest> fromA = requested(drain(core), a);
        assertFalse(fromA.isEmpty());

        core.peerMessage(1, a, new PeerMessage.Choke()); // BEP 6: not an implicit reject
        assertTrue(core.peerConnected(1, b, B, fastHandshake(b), true));
        core.peerMessage(1, b, new PeerMessage.HaveAll());
        core.peerMessage(1, b, new PeerMessage.Unchoke());
        List<BlockRequest> fromB = requested(drain(core), b);
        Set<BlockRequest> overlap = new HashSet<>(fromA);
        overlap.retainAll(fromB);
        assertTrue(overlap.isEmpty(), "blocks still in flight to a choking Fast peer are not asked of others");

        BlockRequest rejected = fromA.get(0);
        core.peerMessage(2, a, PeerMessage.RejectRequest.of(rejected));
        for (BlockRequest got : fromB) { // b answers, so its pipeline has room again
            core.peerMessage(3, b, PeerMessage.Piece.of(got.pieceIndex(), got.begin(), new byte[got.lengthBytes()]));
        }
        List<SwarmAction> out = drain(core);
        assertTrue(requested(out, b).contains(rejected), "the rejected block went to b");
        assertTrue(requested(out, a).isEmpty(), "a chokes us and allowed nothing");
    }

    @Test
    void whileAFastPeerChokesUsWeRequestOnlyItsAllowedFastPieces() {
        SwarmCore core = core(new BitSet());
        Link p = new Link("af");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        core.peerMessage(0, p, new PeerMessage.HaveAll());
        assertTrue(requested(drain(core), p).isEmpty(), "choked: nothing to ask yet");
        core.peerMessage(1, p, new PeerMessage.AllowedFast(7));
        List<BlockRequest> asked = requested(drain(core), p);
        assertEquals(List.of(new BlockRequest(7, 0, 16384), new BlockRequest(7, 16384, 16384)), asked);

        core.peerMessage(2, p, new PeerMessage.RejectRequest(7, 0, 16384)); // it changed its mind
        core.peerMessage(2, p, new PeerMessage.RejectRequest(7, 16384, 16384));
        assertTrue(requested(drain(core), p).isEmpty(), "a rejected piece is not asked again while it chokes us");
        core.peerMessage(3, p, new PeerMessage.Unchoke());
        assertFalse(requested(drain(core), p).isEmpty());
    }

    @Test
    void allowedFastAndSuggestionsOutsideTheTorrentDropThePeerButValidSuggestionsAreFine() {
        SwarmCore core = core(new BitSet());
        Link p = new Link("hint");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        core.peerMessage(0, p, new PeerMessage.SuggestPiece(3));
        assertFalse(closed(drain(core), p));
        core.peerMessage(0, p, new PeerMessage.AllowedFast(metainfo.pieceCount()));
        assertTrue(closed(drain(core), p));

        Link q = new Link("hint2");
        assertTrue(core.peerConnected(1, q, B, fastHandshake(q), true));
        core.peerMessage(1, q, new PeerMessage.SuggestPiece(metainfo.pieceCount()));
        assertTrue(closed(drain(core), q));
    }

    @Test
    void theAllowedFastPiecesWeRememberPerPeerAreCapped() {
        SwarmCore core = core(new BitSet());
        Link p = new Link("many");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        core.peerMessage(0, p, new PeerMessage.HaveNone());
        for (int i = 0; i < metainfo.pieceCount(); i++) {
            core.peerMessage(1, p, new PeerMessage.AllowedFast(i));
        }
        drain(core);
        BitSet have = all(); // the peer gets everything: we may ask only for what it allowed and we remembered
        core.peerMessage(2, p, PeerMessage.Bitfield.of(have, metainfo.pieceCount()));
        Set<Integer> pieces = new HashSet<>();
        requested(drain(core), p).forEach(r -> pieces.add(r.pieceIndex()));
        assertFalse(pieces.isEmpty());
        assertTrue(pieces.stream().allMatch(i -> i < FastExtension.MAX_ALLOWED_FAST), "only the first 32 are kept");
    }

    // ---- reqq, yourip, upload_only ----

    @Test
    void thePeersReqqCapsOurPipelineToIt() {
        SwarmCore core = core(new BitSet());
        Link p = new Link("small");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        core.peerMessage(0, p, handshakeMessage(ExtensionHandshake.ours("tiny", 0, 0, 3)));
        core.peerMessage(0, p, new PeerMessage.HaveAll());
        core.peerMessage(0, p, new PeerMessage.Unchoke());
        assertEquals(3, requested(drain(core), p).size());
    }

    @Test
    void ourHandshakeTellsThePeerItsAddressAndWhetherWeOnlyUpload() throws Exception {
        SwarmCore seed = core(all());
        Link p = new Link("p");
        assertTrue(seed.peerConnected(0, p, A, fastHandshake(p), true));
        ExtensionHandshake ours = ourHandshake(drain(seed));
        assertNotNull(ours);
        assertTrue(ours.uploadOnly(), "a seed wants nothing more");
        assertEquals(A.getAddress(), ours.yourIp().orElseThrow());

        SwarmCore downloader = core(allButLast());
        assertTrue(downloader.peerConnected(0, p, A, fastHandshake(p), true));
        assertFalse(ourHandshake(drain(downloader)).uploadOnly());
        downloader.pieceChecked(1, metainfo.pieceCount() - 1, true);
        ExtensionHandshake again = ourHandshake(drain(downloader));
        assertNotNull(again, "completing repeats the handshake (BEP 10 allows it)");
        assertTrue(again.uploadOnly());
    }

    @Test
    void wantingASkippedFileAgainTellsPeersWeDownloadAgain() throws Exception {
        Metainfo two = TestTorrents.multiFile(tmp.resolve("two"), "t",
                List.of(TestFile.of(10L * PIECE, "a.bin"), TestFile.of(10L * PIECE, "b.bin")), PIECE, 2);
        BitSet firstFile = new BitSet();
        firstFile.set(0, 10);
        SwarmCore core = SwarmCore.forTorrent(two, firstFile, SwarmConfig.defaults(), new SplittableRandom(1), 0);
        core.setFilePriorities(0, List.of(FilePriority.NORMAL, FilePriority.SKIP));
        Link p = new Link("p");
        assertTrue(core.peerConnected(0, p, A, fastHandshake(p), true));
        assertTrue(ourHandshake(drain(core)).uploadOnly(), "every wanted file is there");

        core.setFilePriorities(1, List.of(FilePriority.NORMAL, FilePriority.NORMAL));
        ExtensionHandshake again = ourHandshake(drain(core));
        assertNotNull(again, "the change is told at once");
        assertFalse(again.uploadOnly());
    }

    @Test
    void aSeedClosesSeedsAndUploadOnlyPeersButKeepsPeersThatWantPieces() {
        SwarmCore seed = core(all());
        Link other = new Link("seed2");
        assertTrue(seed.peerConnected(0, other, A, fastHandshake(other), true));
        seed.peerMessage(1, other, new PeerMessage.HaveAll());
        assertTrue(closed(drain(seed), other), "two seeds have nothing to trade");

        Link partial = new Link("partial");
        assertTrue(seed.peerConnected(2, partial, B, fastHandshake(partial), true));
        seed.peerMessage(2, partial, new PeerMessage.HaveNone());
        assertFalse(closed(drain(seed), partial));
        seed.peerMessage(3, partial, handshakeMessage(ExtensionHandshake.ours("x", 0, 0, 10).withUploadOnly(true)));
        assertTrue(closed(drain(seed), partial), "it wants nothing from us either (BEP 21)");
    }

    @Test
    void anUploadOnlyPeerGetsNoUploadSlotEvenIfItSaysInterested() {
        BitSet some = new BitSet();
        some.set(0, 10);
        BitSet fewer = new BitSet();
        fewer.set(0, 5);
        SwarmCore downloader = core(some); // not complete: it keeps the upload_only peer to download from it
        Link p = new Link("uo");
        assertTrue(downloader.peerConnected(0, p, A, fastHandshake(p), true));
        downloader.peerMessage(0, p, handshakeMessage(ExtensionHandshake.ours("x", 0, 0, 10).withUploadOnly(true)));
        downloader.peerMessage(0, p, PeerMessage.Bitfield.of(fewer, metainfo.pieceCount()));
        downloader.peerMessage(1, p, new PeerMessage.Interested());
        List<SwarmAction> out = drain(downloader);
        assertFalse(closed(out, p));
        assertTrue(sent(out, PeerMessage.Unchoke.class).isEmpty(), "upload_only: no slot for it");
    }
}
