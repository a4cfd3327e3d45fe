package io.kadtorrent.engine.swarm;

import io.kadtorrent.engine.ext.ExtensionCodec;
import io.kadtorrent.engine.ext.ExtensionHandshake;
import io.kadtorrent.engine.ext.PexMessage;
import io.kadtorrent.engine.ext.MetadataMessage;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.create.CreateOptions;
import io.kadtorrent.torrent.create.TorrentCreator;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The swarm core on its own, in virtual time: dialling, abuse, request timeouts. No I/O at all. */
class SwarmCoreTest extends SwarmCoreFixture {

    private SwarmCore downloader() {
        return core(new BitSet());
    }

    /** {@code link}'s peer sends its BEP 10 handshake, telling {@code port} as where it listens. */
    private static void tellListenPort(SwarmCore core, long now, Link link, int port) {
        core.peerMessage(now, link, new PeerMessage.Extended(ExtensionCodec.HANDSHAKE_ID,
                ExtensionCodec.encode(ExtensionHandshake.ours(link.name(), port, 0, 250))));
    }

    private static boolean dials(List<SwarmAction> actions, InetSocketAddress address) {
        return of(actions, SwarmAction.Connect.class).stream().anyMatch(c -> c.address().equals(address));
    }

    /** Connects {@code link} at {@code address}; the peer has every piece and unchokes us. */
    private List<SwarmAction> connectSeed(SwarmCore core, long now, Link link, InetSocketAddress address) {
        assertTrue(core.peerConnected(now, link, address, peerId(link), false, true));
        core.peerMessage(now, link, PeerMessage.Bitfield.of(all(), metainfo.pieceCount()));
        core.peerMessage(now, link, new PeerMessage.Unchoke());
        return drain(core);
    }

    private static List<PeerLink> sentTo(List<SwarmAction> actions, Class<? extends PeerMessage> type) {
        return of(actions, SwarmAction.Send.class).stream().filter(x -> type.isInstance(x.message()))
                .map(SwarmAction.Send::peer).toList();
    }

    @Test
    void anInterestedPeerTakesAFreeSlotAtOnceAndOnlyAPeerThatFreesOneStartsAFullRechoke() {
        BitSet all = new BitSet();
        all.set(0, metainfo.pieceCount());
        SwarmCore seed = SwarmCore.forTorrent(metainfo, all, new SwarmConfig(50, 4, 8, "", 0), new SplittableRandom(1), 0);
        List<Link> links = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Link link = new Link("p" + i);
            links.add(link);
            assertTrue(seed.peerConnected(0, link, new InetSocketAddress("127.0.0.1", 7100 + i), peerId(link), false, false));
        }
        drain(seed);
        for (int i = 0; i < 4; i++) {
            seed.peerMessage(100 + i, links.get(i), new PeerMessage.Interested());
            assertEquals(List.of(links.get(i)), sentTo(drain(seed), PeerMessage.Unchoke.class), "slot " + i + " was free");
        }
        seed.peerMessage(200, links.get(4), new PeerMessage.Interested());
        assertTrue(drain(seed).isEmpty(), "every slot is held: the fifth waits for the next rechoke");
        seed.peerMessage(300, links.get(4), new PeerMessage.NotInterested());
        assertTrue(drain(seed).isEmpty(), "a choked peer losing interest frees no slot");
        seed.peerMessage(400, links.get(4), new PeerMessage.Interested());
        seed.peerMessage(500, links.get(0), new PeerMessage.NotInterested());
        List<SwarmAction> after = drain(seed);
        assertEquals(List.of(links.get(0)), sentTo(after, PeerMessage.Choke.class));
        assertEquals(List.of(links.get(4)), sentTo(after, PeerMessage.Unchoke.class), "the freed slot goes to the one waiting");
    }

    @Test
    void dialsAGivenPeerAtOnceAndAfterAFailureOnlyOnceItsBackoffHasPassed() {
        SwarmCore core = downloader();
        core.addPeers(0, List.of(A), true);
        assertTrue(dials(drain(core), A));
        core.connectFailed(10, A);
        core.timer(10 + AddressBook.FIRST_BACKOFF_MILLIS - 1);
        assertFalse(dials(drain(core), A), "not before the backoff");
        assertEquals(10 + AddressBook.FIRST_BACKOFF_MILLIS, core.nextTimerMillis());
        core.timer(10 + AddressBook.FIRST_BACKOFF_MILLIS);
        assertTrue(dials(drain(core), A));
        core.connectFailed(2_000, A);
        core.timer(2_000 + 2 * AddressBook.FIRST_BACKOFF_MILLIS - 1);
        assertFalse(dials(drain(core), A), "the second backoff is twice as long");
        core.timer(2_000 + 2 * AddressBook.FIRST_BACKOFF_MILLIS);
        assertTrue(dials(drain(core), A));
    }

    @Test
    void aFoundAddressIsForgottenAfterRepeatedFailuresButAUserOneIsNot() {
        SwarmCore core = downloader();
        core.addPeers(0, List.of(A), false);
        core.addPeers(0, List.of(B), true);
        long now = 0;
        for (int i = 0; i < AddressBook.MAX_FAILURES; i++) {
            List<SwarmAction> actions = drain(core);
            assertTrue(dials(actions, A) && dials(actions, B), "round " + i);
            core.connectFailed(now, A);
            core.connectFailed(now, B);
            now += AddressBook.MAX_BACKOFF_MILLIS;
            core.timer(now);
        }
        List<SwarmAction> after = drain(core);
        assertFalse(dials(after, A), "the found address is forgotten");
        assertTrue(dials(after, B), "the user's address is retried");
    }

    @Test
    void aSeedDialsThePeersItIsGiven() {
        BitSet all = new BitSet();
        all.set(0, metainfo.pieceCount());
        SwarmCore seed = SwarmCore.forTorrent(metainfo, all, SwarmConfig.defaults(), new SplittableRandom(2), 0);
        assertTrue(of(drain(seed), SwarmAction.Completed.class).size() == 1, "complete from the start");
        seed.addPeers(0, List.of(A), true);
        assertTrue(dials(drain(seed), A));
    }

    @Test
    void onceCompleteWeRedialAPeerThatWantsPiecesButNotASeedThatClosed() {
        int last = metainfo.pieceCount() - 1;
        BitSet allButLast = all();
        allButLast.clear(last);
        SwarmCore core = core(allButLast);
        Link seed = new Link("seed");
        Link partial = new Link("partial");
        core.addPeers(0, List.of(A, B), true);
        drain(core);
        List<SwarmAction> actions = new ArrayList<>(connectSeed(core, 0, seed, A));
        assertTrue(core.peerConnected(0, partial, B, peerId(partial), false, true));
        BitSet few = new BitSet();
        few.set(0, 3);
        core.peerMessage(0, partial, PeerMessage.Bitfield.of(few, metainfo.pieceCount()));
        actions.addAll(drain(core));
        for (SwarmAction.SendRequests r : of(actions, SwarmAction.SendRequests.class)) {
            for (BlockRequest b : r.blocks()) {
                core.peerMessage(1, seed, PeerMessage.Piece.of(b.pieceIndex(), b.begin(), new byte[b.lengthBytes()]));
            }
        }
        assertFalse(of(drain(core), SwarmAction.WriteBlock.class).isEmpty(), "the last piece arrived");
        core.pieceChecked(2, last, true); // the runtime checks the hash; here it passes
        assertEquals(1, of(drain(core), SwarmAction.Completed.class).size());
        core.peerClosed(3, seed);
        core.peerClosed(3, partial);
        core.timer(3 + 2 * AddressBook.REDIAL_AFTER_CLOSE_MILLIS);
        List<SwarmAction> later = drain(core);
        assertTrue(dials(later, B), "a peer missing pieces is worth a connection to a seed");
        assertFalse(dials(later, A), "two seeds have nothing to trade");
    }

    @Test
    void aPeerFloodingBlocksWeNeverAskedForIsBannedAndNeverDialledAgain() {
        SwarmCore core = downloader();
        Link link = new Link("flooder");
        core.addPeers(0, List.of(A), true);
        drain(core);
        List<SwarmAction> start = connectSeed(core, 0, link, A);
        assertFalse(of(start, SwarmAction.SendRequests.class).isEmpty(), "we ask it for blocks");
        int last = metainfo.pieceCount() - 1;
        List<SwarmAction> actions = new ArrayList<>();
        int sent = 0;
        while (of(actions, SwarmAction.Close.class).isEmpty() && sent < 1000) {
            core.peerMessage(1, link, PeerMessage.Piece.of(last, 0, new byte[16 * 1024])); // asked for once at most
            sent++;
            actions.addAll(drain(core));
        }
        SwarmAction.Close close = of(actions, SwarmAction.Close.class).get(0);
        assertTrue(close.misbehaved());
        assertEquals(List.of(new SwarmAction.Banned(A)), of(actions, SwarmAction.Banned.class));
        assertTrue(sent * 16 * 1024L > Downloads.MAX_UNREQUESTED_BYTES, "not before the limit: " + sent);
        assertTrue((sent - 2) * 16 * 1024L <= Downloads.MAX_UNREQUESTED_BYTES, "at the limit: " + sent);
        core.peerClosed(2, link);
        core.addPeers(3, List.of(A), true);
        core.timer(10 * AddressBook.MAX_BACKOFF_MILLIS);
        assertFalse(dials(drain(core), A), "a banned address is never dialled again");
        assertTrue(core.isBanned(A));
    }

    @Test
    void aPeerWhoseSeveralPiecesFailTheirHashIsBannedOnceNotOncePerPiece() {
        SwarmCore core = downloader();
        Link link = new Link("liar");
        List<SwarmAction> actions = new ArrayList<>(connectSeed(core, 0, link, A));
        List<Integer> written = new ArrayList<>();
        for (SwarmAction.SendRequests r : of(actions, SwarmAction.SendRequests.class)) {
            for (BlockRequest b : r.blocks()) { // every block we asked for, answered with the wrong bytes
                core.peerMessage(1, link, PeerMessage.Piece.of(b.pieceIndex(), b.begin(), new byte[b.lengthBytes()]));
                of(drain(core), SwarmAction.WriteBlock.class).stream().filter(SwarmAction.WriteBlock::verifyPiece)
                        .forEach(w -> written.add(w.block().pieceIndex()));
            }
        }
        assertTrue(written.size() >= 2, "several whole pieces arrived before any hash was checked: " + written);
        List<SwarmAction> after = new ArrayList<>();
        for (int index : written) { // the hashes fail after the close was queued, before the runtime reports it
            core.pieceChecked(2, index, false);
            after.addAll(drain(core));
        }
        assertEquals(1, of(after, SwarmAction.Close.class).size());
        assertEquals(List.of(new SwarmAction.Banned(A)), of(after, SwarmAction.Banned.class),
                "one ban reported, however many of its pieces fail");
        assertTrue(core.isBanned(A));
    }

    @Test
    void aPeerFloodingKeepAlivesIsBanned() {
        SwarmCore core = downloader();
        Link link = new Link("chatty");
        connectSeed(core, 0, link, A);
        List<SwarmAction> actions = new ArrayList<>();
        for (int i = 0; i <= SwarmCore.MAX_KEEP_ALIVES_PER_MINUTE; i++) {
            core.peerMessage(i, link, new PeerMessage.KeepAlive());
            actions.addAll(drain(core));
        }
        assertEquals(1, of(actions, SwarmAction.Close.class).size());
        assertEquals(List.of(new SwarmAction.Banned(A)), of(actions, SwarmAction.Banned.class));
    }

    @Test
    void aPeerBannedOnAnIncomingConnectionIsNotRedialledAtItsListenAddress() {
        SwarmCore core = downloader();
        Link incoming = new Link("flooder");
        InetSocketAddress ephemeral = new InetSocketAddress("127.0.0.1", 50123);
        assertTrue(core.peerConnected(0, incoming, ephemeral, peerId(incoming), false, false));
        for (int i = 0; i <= SwarmCore.MAX_KEEP_ALIVES_PER_MINUTE; i++) {
            core.peerMessage(i, incoming, new PeerMessage.KeepAlive());
        }
        assertEquals(List.of(new SwarmAction.Banned(ephemeral)), of(drain(core), SwarmAction.Banned.class));
        core.peerClosed(30, incoming);
        core.addPeers(40, List.of(A), true); // the DHT or the user names its listen address
        assertTrue(dials(drain(core), A));
        Link again = new Link("flooder"); // same peer_id
        assertFalse(core.peerConnected(50, again, A, peerId(again), false, true), "refused by its peer_id");
        drain(core);
        core.timer(10 * AddressBook.MAX_BACKOFF_MILLIS);
        core.addPeers(10 * AddressBook.MAX_BACKOFF_MILLIS, List.of(A), true);
        assertFalse(dials(drain(core), A), "and never dialled again");
    }

    @Test
    void whenTwoPeersDialEachOtherBothKeepTheConnectionTheSmallerPeerIdOpened() {
        byte[] small = new byte[20];
        byte[] large = new byte[20];
        java.util.Arrays.fill(large, (byte) 0x7f);
        InetSocketAddress ephemeral = new InetSocketAddress("127.0.0.1", 50124);
        for (boolean weAreSmaller : new boolean[]{true, false}) {
            byte[] ours = weAreSmaller ? small : large;
            byte[] theirs = weAreSmaller ? large : small;
            SwarmCore core = SwarmCore.forTorrent(metainfo, new BitSet(),
                    SwarmConfig.defaults().withOurPeerId(ours), new SplittableRandom(4), 0);
            Link dialled = new Link("we dialled");
            Link accepted = new Link("it dialled");
            core.addPeers(0, List.of(A), true);
            drain(core);
            assertTrue(core.peerConnected(1, dialled, A, theirs, false, true));
            drain(core);
            boolean acceptedKept = core.peerConnected(2, accepted, ephemeral, theirs, false, false);
            List<SwarmAction.Close> closes = of(drain(core), SwarmAction.Close.class);
            assertEquals(1, closes.size(), "one of the two goes");
            assertEquals(weAreSmaller ? accepted : dialled, closes.get(0).peer(),
                    "the survivor is the connection the smaller peer_id opened");
            assertEquals(!weAreSmaller, acceptedKept);
            assertFalse(closes.get(0).misbehaved());
        }
    }

    @Test
    void withoutOurPeerIdTheOlderOfTwoConnectionsToOnePeerStays() {
        SwarmCore core = downloader();
        Link first = new Link("first");
        assertTrue(core.peerConnected(0, first, A, peerId(first), false, true));
        drain(core);
        assertFalse(core.peerConnected(1, new Link("second"), B, peerId(first), false, false));
        assertEquals(1, of(drain(core), SwarmAction.Close.class).size());
    }

    @Test
    void aPeerThatDialledUsIsNotDialledAtTheListenPortItToldUntilItLeaves() {
        SwarmCore core = downloader();
        Link incoming = new Link("it dialled");
        InetSocketAddress listen = new InetSocketAddress("127.0.0.2", 7777);
        assertTrue(core.peerConnected(0, incoming, new InetSocketAddress("127.0.0.2", 50125), peerId(incoming), true,
                false));
        tellListenPort(core, 1, incoming, 7777);
        drain(core);
        core.addPeers(2, List.of(listen), false); // the DHT finds it there
        assertFalse(dials(drain(core), listen), "it is a peer already");
        long later = 3 * AddressBook.REDIAL_AFTER_CLOSE_MILLIS;
        core.timer(later);
        core.addPeers(later, List.of(listen), false);
        assertFalse(dials(drain(core), listen), "nor later while it stays");

        core.peerClosed(later, incoming);
        assertFalse(dials(drain(core), listen), "not at once after it left");
        core.timer(later + AddressBook.REDIAL_AFTER_CLOSE_MILLIS);
        assertTrue(dials(drain(core), listen), "dialled once it has been gone a while");
    }

    @Test
    void aDialThatReachesAPeerThatDialledUsHoldsItsAddressUntilThatPeerLeaves() {
        SwarmCore core = downloader();
        Link incoming = new Link("it dialled");
        Link dialled = new Link("we dialled");
        assertTrue(core.peerConnected(0, incoming, new InetSocketAddress("127.0.0.2", 50126), peerId(incoming), false,
                false)); // no BEP 10: its listen port is unknown
        core.addPeers(1, List.of(A), false);
        assertTrue(dials(drain(core), A));
        assertFalse(core.peerConnected(2, dialled, A, peerId(incoming), false, true), "the older connection stays");
        assertEquals(List.of(dialled), of(drain(core), SwarmAction.Close.class).stream()
                .map(SwarmAction.Close::peer).toList());
        long later = 3 * AddressBook.REDIAL_AFTER_CLOSE_MILLIS;
        core.timer(later);
        core.addPeers(later, List.of(A), false);
        assertFalse(dials(drain(core), A), "A is the peer that dialled us: not dialled while it stays");

        core.peerClosed(later, incoming);
        core.timer(later + AddressBook.REDIAL_AFTER_CLOSE_MILLIS);
        assertTrue(dials(drain(core), A), "dialled again soon after it left, not after the long rest of a duplicate");
    }

    @Test
    void whenOurDialToAnotherAddressReplacesAPeerThatDialledUsTheAddressItToldIsFreedWithIt() {
        byte[] small = new byte[20];
        byte[] large = new byte[20];
        java.util.Arrays.fill(large, (byte) 0x7f);
        SwarmCore core = SwarmCore.forTorrent(metainfo, new BitSet(), SwarmConfig.defaults().withOurPeerId(small),
                new SplittableRandom(5), 0);
        Link incoming = new Link("it dialled");
        Link dialled = new Link("we dialled");
        InetSocketAddress told = new InetSocketAddress("127.0.0.2", 7777);
        assertTrue(core.peerConnected(0, incoming, new InetSocketAddress("127.0.0.2", 50127), large, true, false));
        tellListenPort(core, 1, incoming, 7777);
        core.addPeers(2, List.of(A), false); // the same peer at another address
        assertTrue(dials(drain(core), A));
        assertTrue(core.peerConnected(3, dialled, A, large, false, true), "ours replaces it: our peer_id is smaller");
        drain(core);
        core.peerClosed(4, incoming);
        core.timer(4 + AddressBook.REDIAL_AFTER_CLOSE_MILLIS);
        assertTrue(dials(drain(core), told), "the address it told is not held for a connection that is gone");
    }

    @Test
    void anotherPeerBehindTheSameIpTellingTheSamePortDoesNotFreeTheAddressWhenItLeaves() {
        SwarmCore core = downloader();
        Link dialled = new Link("we dialled");
        Link neighbour = new Link("same IP");
        core.addPeers(0, List.of(A), false);
        assertTrue(dials(drain(core), A));
        assertTrue(core.peerConnected(1, dialled, A, peerId(dialled), false, true));
        assertTrue(core.peerConnected(2, neighbour, new InetSocketAddress(A.getAddress(), 50128), peerId(neighbour),
                true, false));
        tellListenPort(core, 3, neighbour, A.getPort());
        core.peerClosed(4, neighbour);
        long later = 4 + 2 * AddressBook.REDIAL_AFTER_CLOSE_MILLIS;
        core.timer(later);
        core.addPeers(later, List.of(A), false);
        assertFalse(dials(drain(core), A), "the peer we dialled there is still connected");
    }

    @Test
    void keepAlivesAtTheUsualPaceAreFine() {
        SwarmCore core = downloader();
        Link link = new Link("calm");
        connectSeed(core, 0, link, A);
        for (int i = 0; i < 100; i++) {
            core.peerMessage(i * 60_000L, link, new PeerMessage.KeepAlive()); // one a minute for 100 minutes
            assertTrue(of(drain(core), SwarmAction.Close.class).isEmpty(), "minute " + i);
        }
    }

    @Test
    void requestsLeftUnansweredGoToAnotherPeerAndTheirLateBlocksAreNoOffence() {
        SwarmCore core = downloader();
        Link slow = new Link("slow");
        Link fast = new Link("fast");
        List<BlockRequest> askedSlow = of(connectSeed(core, 0, slow, A), SwarmAction.SendRequests.class).stream()
                .flatMap(r -> r.blocks().stream()).toList();
        assertFalse(askedSlow.isEmpty());
        List<SwarmAction> fastStart = connectSeed(core, 0, fast, B);
        List<BlockRequest> askedFast = of(fastStart, SwarmAction.SendRequests.class).stream()
                .flatMap(r -> r.blocks().stream()).toList();
        assertTrue(askedFast.stream().noneMatch(askedSlow::contains), "no duplicates before endgame");

        long now = Downloads.REQUEST_TIMEOUT_MILLIS - 1;
        for (BlockRequest b : askedFast.subList(0, 8)) { // "fast" answers, so it is not timed out
            core.peerMessage(now, fast, PeerMessage.Piece.of(b.pieceIndex(), b.begin(), new byte[b.lengthBytes()]));
        }
        drain(core);
        core.timer(Downloads.REQUEST_TIMEOUT_MILLIS + 1); // "slow" answered nothing in 30 s
        drain(core);
        List<BlockRequest> reassigned = new ArrayList<>();
        for (BlockRequest b : askedFast.subList(8, 16)) { // room for a refill on "fast"
            core.peerMessage(now + 3, fast, PeerMessage.Piece.of(b.pieceIndex(), b.begin(), new byte[b.lengthBytes()]));
            for (SwarmAction a : drain(core)) {
                if (a instanceof SwarmAction.SendRequests r && r.peer().equals(fast)) {
                    reassigned.addAll(r.blocks());
                }
            }
        }
        assertTrue(reassigned.stream().anyMatch(askedSlow::contains), "the slow peer's blocks went to the fast one");

        BlockRequest late = askedSlow.get(0);
        core.peerMessage(Downloads.REQUEST_TIMEOUT_MILLIS + 3, slow,
                PeerMessage.Piece.of(late.pieceIndex(), late.begin(), new byte[late.lengthBytes()]));
        assertTrue(of(drain(core), SwarmAction.Close.class).isEmpty(), "a late answer is not a flood");
    }

    @Test
    void withoutRedundantHavesAVerifiedPieceIsAnnouncedOnlyToPeersNotKnownToHaveIt() {
        assertEquals(List.of("seed", "holder", "empty"), haveRecipients(SwarmConfig.defaults()),
                "by default every peer hears of it (their chokers count pieces passed on)");
        assertEquals(List.of("empty"), haveRecipients(SwarmConfig.defaults().withRedundantHaves(false)),
                "neither the seed nor the peer that announced the piece can want it from us");
    }

    /**
     * Who hears of piece 2 once we verify it: a seed, a peer that announced piece 2 (a have) and one with
     * nothing are connected; we get piece 2's blocks from the seed.
     */
    private List<String> haveRecipients(SwarmConfig config) {
        BitSet allButTwoAndThree = all();
        allButTwoAndThree.clear(2, 4);
        SwarmCore core = SwarmCore.forTorrent(metainfo, allButTwoAndThree, config, new SplittableRandom(1), 0);
        Link seed = new Link("seed");
        Link holder = new Link("holder");
        Link empty = new Link("empty");
        List<BlockRequest> asked = of(connectSeed(core, 0, seed, A), SwarmAction.SendRequests.class).stream()
                .flatMap(r -> r.blocks().stream()).filter(b -> b.pieceIndex() == 2).toList();
        assertEquals(PIECE / BlockRequest.BLOCK_SIZE, asked.size(), "piece 2 asked of the seed");
        assertTrue(core.peerConnected(1, holder, B, peerId(holder), false, true));
        core.peerMessage(1, holder, new PeerMessage.Have(2));
        assertTrue(core.peerConnected(1, empty, new InetSocketAddress("127.0.0.1", 7003), peerId(empty), false, true));
        drain(core);
        for (BlockRequest b : asked) {
            core.peerMessage(2, seed, PeerMessage.Piece.of(b.pieceIndex(), b.begin(), new byte[b.lengthBytes()]));
        }
        drain(core);
        core.pieceChecked(3, 2, true);
        return of(drain(core), SwarmAction.Send.class).stream()
                .filter(x -> x.message() instanceof PeerMessage.Have h && h.pieceIndex() == 2)
                .map(x -> ((Link) x.peer()).name()).toList();
    }

    @Test
    void completionSavesResumeDataAtOnceAndForcesItToDiskOnlyLater() {
        BitSet allButFirst = new BitSet();
        allButFirst.set(1, metainfo.pieceCount());
        SwarmCore core = SwarmCore.forTorrent(metainfo, allButFirst, SwarmConfig.defaults(), new SplittableRandom(3), 0);
        Link link = new Link("seed");
        List<BlockRequest> asked = of(connectSeed(core, 0, link, A), SwarmAction.SendRequests.class).stream()
                .flatMap(r -> r.blocks().stream()).toList();
        assertEquals(PIECE / (16 * 1024), asked.size(), "the one missing piece");
        for (BlockRequest b : asked) {
            core.peerMessage(5, link, PeerMessage.Piece.of(b.pieceIndex(), b.begin(), new byte[b.lengthBytes()]));
        }
        assertEquals(1, of(drain(core), SwarmAction.WriteBlock.class).stream().filter(w -> w.verifyPiece()).count());
        core.pieceChecked(6, 0, true);
        List<SwarmAction> done = drain(core);
        assertEquals(1, of(done, SwarmAction.Completed.class).size());
        assertEquals(List.of(new SwarmAction.SaveResume(false)), of(done, SwarmAction.SaveResume.class),
                "nothing the user waits for is forced to disk");
        core.timer(6 + SwarmCore.FORCED_SAVE_DELAY_MILLIS - 1);
        assertTrue(of(drain(core), SwarmAction.SaveResume.class).isEmpty());
        core.timer(6 + SwarmCore.FORCED_SAVE_DELAY_MILLIS);
        assertEquals(List.of(new SwarmAction.SaveResume(true)), of(drain(core), SwarmAction.SaveResume.class));
    }

    @Test
    void pauseClosesEveryConnectionAndDialsNobodyUntilResume() {
        SwarmCore core = downloader();
        Link link = new Link("peer");
        core.addPeers(0, List.of(A), true);
        drain(core);
        connectSeed(core, 0, link, A);
        core.pause(1);
        List<SwarmAction.Close> closes = of(drain(core), SwarmAction.Close.class);
        assertEquals(List.of(link), closes.stream().map(SwarmAction.Close::peer).toList());
        core.peerClosed(2, link);
        assertFalse(core.peerConnected(3, new Link("incoming"), B, peerId(new Link("incoming")), false, false),
                "a paused torrent takes no connections");
        core.timer(10 * AddressBook.MAX_BACKOFF_MILLIS);
        assertFalse(dials(drain(core), A), "nor dials");
        assertFalse(core.needsPeers());
        core.resume(10 * AddressBook.MAX_BACKOFF_MILLIS + 1);
        assertTrue(dials(drain(core), A), "resumed: dials its peers again");
    }

    @Test
    void peerExchangeTellsEachPeerTheOthersAndLearnsFromThemAtMostOnceAMinute() throws Exception {
        SwarmCore core = SwarmCore.forTorrent(metainfo, new BitSet(), SwarmConfig.defaults().withListenPort(6881),
                new SplittableRandom(7), 0);
        Link dialled = new Link("dialled");
        Link incoming = new Link("incoming");
        assertTrue(core.peerConnected(0, dialled, A, peerId(dialled), true, true));
        assertTrue(core.peerConnected(0, incoming, new InetSocketAddress("127.0.0.2", 40000), peerId(incoming), true,
                false));
        // both speak ut_pex; the incoming one listens on 7777
        tellListenPort(core, 1, dialled, 7001);
        tellListenPort(core, 1, incoming, 7777);
        drain(core);
        core.timer(PeerExchange.FIRST_SEND_MILLIS);
        Map<String, PexMessage> sent = new HashMap<>();
        for (SwarmAction.Send send : of(drain(core), SwarmAction.Send.class)) {
            if (send.message() instanceof PeerMessage.Extended e && e.extendedId() == ExtensionCodec.UT_PEX_ID) {
                sent.put(((Link) send.peer()).name(),
                        (PexMessage) ExtensionCodec.decode(e.extendedId(), e.payload()).orElseThrow());
            }
        }
        assertEquals(List.of(new InetSocketAddress("127.0.0.2", 7777)), sent.get("dialled").added(),
                "the dialled peer hears of the other's listen address");
        assertEquals(List.of(A), sent.get("incoming").added());

        InetSocketAddress taught = new InetSocketAddress("127.0.0.3", 9000);
        InetSocketAddress tooSoon = new InetSocketAddress("127.0.0.4", 9000);
        core.peerMessage(10_000, dialled, new PeerMessage.Extended(ExtensionCodec.UT_PEX_ID,
                ExtensionCodec.encode(new PexMessage(List.of(taught), List.of()))));
        assertTrue(dials(drain(core), taught), "an address a peer taught us is dialled");
        core.peerMessage(20_000, dialled, new PeerMessage.Extended(ExtensionCodec.UT_PEX_ID,
                ExtensionCodec.encode(new PexMessage(List.of(tooSoon), List.of()))));
        core.timer(20_001);
        assertFalse(dials(drain(core), tooSoon), "a second message within the minute is ignored");

        core.peerClosed(30_000, incoming);
        core.timer(PeerExchange.FIRST_SEND_MILLIS + PeerExchange.SEND_EVERY_MILLIS);
        for (SwarmAction.Send send : of(drain(core), SwarmAction.Send.class)) {
            if (send.message() instanceof PeerMessage.Extended e && e.extendedId() == ExtensionCodec.UT_PEX_ID) {
                PexMessage m = (PexMessage) ExtensionCodec.decode(e.extendedId(), e.payload()).orElseThrow();
                assertTrue(m.dropped().contains(new InetSocketAddress("127.0.0.2", 7777)), m.toString());
            }
        }
    }

    @Test
    void aPrivateTorrentOffersNoPeerExchangeSendsNoneAndDialsNoAddressOneTeaches() throws Exception {
        Metainfo closed = TorrentCreator.create(tmp.resolve("f.bin"),
                CreateOptions.defaults().withPieceLengthBytes(PIECE).withPrivate(true));
        SwarmCore core = SwarmCore.forTorrent(closed, new BitSet(), SwarmConfig.defaults().withListenPort(6881),
                new SplittableRandom(8), 0);
        Link dialled = new Link("dialled");
        Link other = new Link("other");
        assertTrue(core.peerConnected(0, dialled, A, peerId(dialled), true, true));
        assertTrue(core.peerConnected(0, other, B, peerId(other), true, true));
        ExtensionHandshake ours = null;
        for (SwarmAction.Send send : of(drain(core), SwarmAction.Send.class)) {
            if (send.message() instanceof PeerMessage.Extended e && e.extendedId() == ExtensionCodec.HANDSHAKE_ID) {
                ours = (ExtensionHandshake) ExtensionCodec.decode(e.extendedId(), e.payload()).orElseThrow();
            }
        }
        assertNotNull(ours);
        assertTrue(ours.idOf(ExtensionHandshake.UT_PEX).isEmpty(), "BEP 27: no ut_pex offered");
        assertTrue(ours.idOf(ExtensionHandshake.UT_METADATA).isPresent());
        for (Link l : List.of(dialled, other)) { // both peers speak ut_pex all the same
            core.peerMessage(1, l, new PeerMessage.Extended(ExtensionCodec.HANDSHAKE_ID,
                    ExtensionCodec.encode(ExtensionHandshake.ours(l.name(), 7001, 0, 250))));
        }
        InetSocketAddress taught = new InetSocketAddress("127.0.0.3", 9000);
        core.peerMessage(10_000, dialled, new PeerMessage.Extended(ExtensionCodec.UT_PEX_ID,
                ExtensionCodec.encode(new PexMessage(List.of(taught), List.of()))));
        core.timer(PeerExchange.FIRST_SEND_MILLIS + PeerExchange.SEND_EVERY_MILLIS);
        List<SwarmAction> after = drain(core);
        assertFalse(dials(after, taught), "an address from peer exchange is not dialled");
        assertTrue(of(after, SwarmAction.Send.class).stream().noneMatch(s -> s.message() instanceof PeerMessage.Extended e
                && e.extendedId() == ExtensionCodec.UT_PEX_ID), "and none is sent");
    }

    @Test
    void ourExtensionHandshakeTellsOurListenPortAndName() throws Exception {
        SwarmCore core = SwarmCore.forTorrent(metainfo, new BitSet(), SwarmConfig.defaults().withListenPort(51413),
                new SplittableRandom(6), 0);
        Link link = new Link("peer");
        assertTrue(core.peerConnected(0, link, A, peerId(link), true, true));
        ExtensionHandshake ours = null;
        for (SwarmAction.Send send : of(drain(core), SwarmAction.Send.class)) {
            if (send.message() instanceof PeerMessage.Extended e && e.extendedId() == ExtensionCodec.HANDSHAKE_ID) {
                ours = (ExtensionHandshake) ExtensionCodec.decode(e.extendedId(), e.payload()).orElseThrow();
            }
        }
        assertNotNull(ours, "a BEP 10 peer gets our handshake");
        assertEquals(51413, ours.listenPort().orElseThrow());
        assertEquals("kadtorrent 0.1.0", ours.client().orElseThrow());
    }

    @Test
    void aBitfieldBetweenTheMetadataAndItsStorageCountsOnceTheStorageIsReady() throws Exception {
        SwarmCore core = SwarmCore.forMagnet(metainfo.infoHash(), SwarmConfig.defaults(), new SplittableRandom(5), 0);
        Link link = new Link("seed");
        assertTrue(core.peerConnected(0, link, A, peerId(link), true, true));
        drain(core);
        byte[] info = metainfo.rawInfo();
        core.peerMessage(1, link, new PeerMessage.Extended(ExtensionCodec.HANDSHAKE_ID,
                ExtensionCodec.encode(ExtensionHandshake.ours("peer", 0, info.length, 250))));
        List<SwarmAction> out = drain(core);
        for (int round = 0; round < 10 && of(out, SwarmAction.MetadataReceived.class).isEmpty(); round++) {
            List<SwarmAction> next = new ArrayList<>();
            for (SwarmAction.Send send : of(out, SwarmAction.Send.class)) {
                if (send.message() instanceof PeerMessage.Extended e && e.extendedId() == ExtensionCodec.UT_METADATA_ID
                        && ExtensionCodec.decode(e.extendedId(), e.payload()).orElseThrow()
                        instanceof MetadataMessage.Request r) {
                    int from = r.piece() * 16 * 1024;
                    byte[] piece = java.util.Arrays.copyOfRange(info, from, Math.min(info.length, from + 16 * 1024));
                    core.peerMessage(2, link, new PeerMessage.Extended(ExtensionCodec.UT_METADATA_ID,
                            ExtensionCodec.encode(new MetadataMessage.Data(r.piece(), info.length, piece))));
                    next.addAll(drain(core));
                }
            }
            out = next;
        }
        assertEquals(1, of(out, SwarmAction.MetadataReceived.class).size(), "the metadata came from the peer");

        BitSet all = new BitSet(); // the runtime is still opening the files when the peer's bitfield arrives
        all.set(0, metainfo.pieceCount());
        core.peerMessage(3, link, PeerMessage.Bitfield.of(all, metainfo.pieceCount()));
        assertTrue(of(drain(core), SwarmAction.Close.class).isEmpty());

        core.storageReady(4, new BitSet());
        assertTrue(of(drain(core), SwarmAction.Send.class).stream()
                .anyMatch(x -> x.message() instanceof PeerMessage.Interested), "the kept bitfield made it interesting");
        core.peerMessage(5, link, new PeerMessage.Unchoke());
        assertFalse(of(drain(core), SwarmAction.SendRequests.class).isEmpty(), "and the download starts");
    }

    @Test
    void aClosedPeersBlocksAreReleasedAndIgnored() {
        SwarmCore core = downloader();
        Link link = new Link("gone");
        connectSeed(core, 0, link, A);
        core.peerClosed(1, link);
        int[] released = {0};
        core.peerMessage(2, link, new PeerMessage.Piece(0, 0, new io.kadtorrent.engine.wire.BlockData() {
            @Override
            public java.nio.ByteBuffer bytes() {
                return java.nio.ByteBuffer.allocate(16);
            }

            @Override
            public int lengthBytes() {
                return 16;
            }

            @Override
            public void release() {
                released[0]++;
            }
        }));
        assertTrue(drain(core).stream().noneMatch(a -> a instanceof SwarmAction.WriteBlock));
        assertEquals(1, released[0], "the block went back exactly once");
    }

    @Test
    void requestsHeldBackByTheCreditAreServedOnceThePeerUnchokesUs() {
        BitSet half = new BitSet();
        half.set(0, metainfo.pieceCount() / 2);
        SwarmCore core = SwarmCore.forTorrent(metainfo, half, SwarmConfig.defaults(), new SplittableRandom(1), 0);
        Link link = new Link("trader");
        assertTrue(core.peerConnected(0, link, A, peerId(link), false, false));
        BitSet other = new BitSet();
        other.set(metainfo.pieceCount() / 2, metainfo.pieceCount());
        core.peerMessage(0, link, PeerMessage.Bitfield.of(other, metainfo.pieceCount())); // we want its pieces
        core.peerMessage(0, link, new PeerMessage.Interested());
        assertEquals(List.of(link), sentTo(drain(core), PeerMessage.Unchoke.class));
        core.timer(SwarmCore.RECHOKE_MILLIS);
        core.timer(2 * SwarmCore.RECHOKE_MILLIS); // it choked us at two scheduled rechokes: its credit counts
        drain(core);
        int blocksPerPiece = PIECE / BlockRequest.BLOCK_SIZE;
        int pieces = 20;
        for (int p = 0; p < pieces; p++) {
            for (int i = 0; i < blocksPerPiece; i++) {
                core.peerMessage(2 * SwarmCore.RECHOKE_MILLIS + 1, link,
                        new PeerMessage.Request(p, i * BlockRequest.BLOCK_SIZE, BlockRequest.BLOCK_SIZE));
            }
        }
        int credit = Uploads.MIN_CREDIT_BYTES / BlockRequest.BLOCK_SIZE;
        assertEquals(credit, blocksSent(core, 2 * SwarmCore.RECHOKE_MILLIS + 1), "the credit, then nothing");
        core.peerMessage(2 * SwarmCore.RECHOKE_MILLIS + 2, link, new PeerMessage.Unchoke());
        assertEquals(pieces * blocksPerPiece - credit, blocksSent(core, 2 * SwarmCore.RECHOKE_MILLIS + 2),
                "no longer overdrawn: the rest of its queue goes out at once");
    }

    @Test
    void aSlotWhoseHolderSpentItsCreditGoesAtOnceToAPeerWaitingForOne() {
        BitSet half = new BitSet();
        half.set(0, metainfo.pieceCount() / 2);
        SwarmConfig oneSlot = SwarmConfig.defaults().withUnchokeSlots(1);
        SwarmCore core = SwarmCore.forTorrent(metainfo, half, oneSlot, new SplittableRandom(1), 0);
        BitSet other = new BitSet();
        other.set(metainfo.pieceCount() / 2, metainfo.pieceCount());
        Link spender = new Link("spender");
        assertTrue(core.peerConnected(0, spender, A, peerId(spender), false, false));
        core.peerMessage(0, spender, PeerMessage.Bitfield.of(other, metainfo.pieceCount())); // we want its pieces
        core.peerMessage(0, spender, new PeerMessage.Interested());
        assertEquals(List.of(spender), sentTo(drain(core), PeerMessage.Unchoke.class));
        core.timer(SwarmCore.RECHOKE_MILLIS);
        core.timer(2 * SwarmCore.RECHOKE_MILLIS); // it choked us at two rechokes while we wanted its pieces
        long now = 2 * SwarmCore.RECHOKE_MILLIS + 1;
        Link waiter = new Link("waiter");
        assertTrue(core.peerConnected(now, waiter, new InetSocketAddress("127.0.0.1", 7002), peerId(waiter), false,
                false));
        core.peerMessage(now, waiter, PeerMessage.Bitfield.of(other, metainfo.pieceCount()));
        core.peerMessage(now, waiter, new PeerMessage.Interested());
        assertEquals(List.of(), sentTo(drain(core), PeerMessage.Unchoke.class), "the only slot is taken");

        int blocksPerPiece = PIECE / BlockRequest.BLOCK_SIZE;
        for (int p = 0; p < 20; p++) {
            for (int i = 0; i < blocksPerPiece; i++) {
                core.peerMessage(now, spender, new PeerMessage.Request(p, i * BlockRequest.BLOCK_SIZE,
                        BlockRequest.BLOCK_SIZE));
            }
        }
        List<SwarmAction> actions = new ArrayList<>();
        int sent = 0;
        List<SwarmAction> batch = drain(core);
        while (!batch.isEmpty()) {
            actions.addAll(batch);
            List<SwarmAction.SendBlock> blocks = of(batch, SwarmAction.SendBlock.class);
            sent += blocks.size();
            blocks.stream().filter(SwarmAction.SendBlock::reportSent).forEach(b -> core.peerSent(now, b.peer()));
            batch = drain(core);
        }
        assertEquals(Uploads.MIN_CREDIT_BYTES / BlockRequest.BLOCK_SIZE, sent, "the credit, then nothing");
        assertEquals(List.of(spender), sentTo(actions, PeerMessage.Choke.class), "the spent slot is handed on now");
        assertEquals(List.of(waiter), sentTo(actions, PeerMessage.Unchoke.class), "not at the next rechoke");
    }

    /** Blocks the core hands out now, each burst reported sent as the runtime would, until it hands out none. */
    private static int blocksSent(SwarmCore core, long now) {
        int blocks = 0;
        List<SwarmAction.SendBlock> sent = of(drain(core), SwarmAction.SendBlock.class);
        while (!sent.isEmpty()) {
            blocks += sent.size();
            sent.stream().filter(SwarmAction.SendBlock::reportSent).forEach(b -> core.peerSent(now, b.peer()));
            sent = of(drain(core), SwarmAction.SendBlock.class);
        }
        return blocks;
    }
}
