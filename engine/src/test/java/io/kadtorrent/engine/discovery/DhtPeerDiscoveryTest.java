package io.kadtorrent.engine.discovery;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static java.time.Duration.ofMinutes;
import static java.time.Duration.ofSeconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhtPeerDiscoveryTest {

    private static final InfoHash HASH = InfoHash.parse("0123456789abcdef0123456789abcdef01234567");
    private static final int PORT = 6881;

    private final ManualScheduler scheduler = new ManualScheduler();
    private final FakeLookup dht = new FakeLookup(scheduler);
    private final List<InetSocketAddress> offered = new ArrayList<>();
    private boolean needsPeers = true;
    private final PeerSink sink = new PeerSink() {
        @Override
        public boolean needsPeers() {
            return needsPeers;
        }

        @Override
        public void offer(InetSocketAddress peer) {
            offered.add(peer);
        }
    };
    private final DiscoveryConfig config = DiscoveryConfig.defaults(PORT);
    private final DhtPeerDiscovery discovery = new DhtPeerDiscovery(HASH, sink, dht, scheduler, config);

    @AfterEach
    void close() {
        discovery.close();
        scheduler.runDue();
        assertEquals(0, scheduler.pending(), "close cancels every timer");
    }

    private static InetSocketAddress peer(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Completes the running lookup after {@code duration} of virtual time. */
    private void finishLookupAfter(Duration duration, InetSocketAddress... peers) {
        scheduler.advance(duration);
        dht.lastLookup().result().complete(Set.of(peers));
        scheduler.runDue();
    }

    @Test
    void announcesAndLooksUpAtStartAndOffersEachNewPeerOnce() {
        discovery.start();
        scheduler.runDue();
        assertEquals(List.of(Duration.ZERO), dht.announceTimes());
        assertEquals(PORT, dht.lastAnnounce().port());
        assertEquals(List.of(Duration.ZERO), dht.lookupTimes());

        dht.lastLookup().onPeer().accept(peer(1));
        dht.lastLookup().onPeer().accept(peer(2));
        dht.lastLookup().onPeer().accept(peer(1));
        scheduler.runDue();
        finishLookupAfter(Duration.ZERO, peer(1), peer(2), peer(3)); // the final set repeats streamed peers
        assertEquals(List.of(peer(1), peer(2), peer(3)), offered);

        scheduler.advance(config.firstLookupGap());
        assertEquals(2, dht.lookups.size());
        finishLookupAfter(Duration.ZERO, peer(2), peer(4));
        assertEquals(List.of(peer(1), peer(2), peer(3), peer(4)), offered);
    }

    @Test
    void looksUpQuicklyAtFirstThenEveryIntervalWhileTheSwarmNeedsPeers() {
        dht.answerEveryLookupAfter(ofSeconds(1));
        discovery.start();
        scheduler.advance(ofSeconds(130));
        // lookups start 2, 4, 8, 16 s apart, then every 30 s, however long each one takes
        assertEquals(List.of(ofSeconds(0), ofSeconds(2), ofSeconds(6), ofSeconds(14), ofSeconds(30), ofSeconds(60),
                ofSeconds(90), ofSeconds(120)), dht.lookupTimes());
    }

    @Test
    void backsOffWhileTheSwarmHasEnoughPeersUpToTheMaximum() {
        needsPeers = false;
        dht.answerEveryLookupAfter(Duration.ZERO);
        discovery.start();
        scheduler.advance(ofMinutes(60));
        assertEquals(List.of(ofSeconds(0), ofSeconds(60), ofSeconds(180), ofSeconds(420), ofSeconds(900),
                ofSeconds(1_800), ofSeconds(2_700), ofSeconds(3_600)), dht.lookupTimes());
    }

    @Test
    void peersNeededCutsABackoffShort() {
        needsPeers = false;
        dht.answerEveryLookupAfter(Duration.ZERO);
        discovery.start();
        scheduler.advance(ofSeconds(1_000)); // last lookup at 900 s, the next one due at 1,800 s
        needsPeers = true;
        discovery.peersNeeded();
        scheduler.advance(ofSeconds(100));
        List<Duration> times = dht.lookupTimes();
        assertEquals(List.of(ofSeconds(900), ofSeconds(1_030), ofSeconds(1_060), ofSeconds(1_090)),
                times.subList(4, times.size()), "soon after the hint, then every interval while peers are needed");
    }

    @Test
    void lookupThatNeverAnswersDoesNotDelayTheNextAndItsLatePeersStillCount() {
        discovery.start();
        scheduler.runDue();
        FakeLookup.LookupCall stalled = dht.lastLookup();
        scheduler.advance(ofSeconds(7));
        assertEquals(List.of(ofSeconds(0), ofSeconds(2), ofSeconds(6)), dht.lookupTimes());

        stalled.onPeer().accept(peer(8)); // a very late answer: its peers are still useful
        stalled.result().complete(Set.of(peer(9)));
        scheduler.runDue();
        assertEquals(List.of(peer(8), peer(9)), offered);
    }

    @Test
    void failingLookupsBackOffEvenWhenPeersAreNeeded() {
        discovery.start();
        scheduler.runDue();
        dht.lastLookup().result().completeExceptionally(new IllegalStateException("no DHT nodes"));
        scheduler.runDue();
        scheduler.advance(ofSeconds(59));
        assertEquals(1, dht.lookups.size());
        scheduler.advance(ofSeconds(1));
        assertEquals(2, dht.lookups.size());
    }

    @Test
    void failureOfAnAbandonedLookupDoesNotChangeTheSchedule() {
        discovery.start();
        scheduler.runDue();
        FakeLookup.LookupCall first = dht.lastLookup();
        scheduler.advance(ofSeconds(2)); // the second lookup starts; the first is left behind
        first.result().completeExceptionally(new IllegalStateException("late failure"));
        scheduler.advance(ofSeconds(4));
        assertEquals(List.of(ofSeconds(0), ofSeconds(2), ofSeconds(6)), dht.lookupTimes());
    }

    @Test
    void announcesAgainOnCompletionAndEveryFifteenMinutes() {
        discovery.start();
        scheduler.runDue();
        dht.lastAnnounce().result().complete(8);
        scheduler.advance(ofMinutes(5));
        discovery.torrentComplete();
        scheduler.runDue();
        dht.lastAnnounce().result().complete(8);
        scheduler.advance(ofMinutes(15));
        dht.lastAnnounce().result().complete(8);
        scheduler.advance(ofMinutes(15));
        assertEquals(List.of(Duration.ZERO, ofMinutes(5), ofMinutes(20), ofMinutes(35)), dht.announceTimes());
    }

    @Test
    void announceNoNodeAcceptedIsRetriedSoonThenLessOftenUntilOneIsAccepted() {
        discovery.start();
        scheduler.runDue();
        for (int i = 0; i < 6; i++) {
            dht.lastAnnounce().result().complete(0); // e.g. our node has not joined the DHT yet
            scheduler.advance(ofSeconds(40));
        }
        dht.lastAnnounce().result().completeExceptionally(new IllegalStateException("timeout"));
        scheduler.advance(ofSeconds(40));
        dht.lastAnnounce().result().complete(3);
        scheduler.advance(config.announceInterval());
        // answers come 40 s after each announce (the first at once); a failure brings the next one
        // 2, 4, 8, 16, 30, 30, 30 s later; a success leaves the regular interval
        assertEquals(List.of(ofSeconds(0), ofSeconds(2), ofSeconds(44), ofSeconds(88), ofSeconds(136),
                ofSeconds(190), ofSeconds(230), ofSeconds(270), ofSeconds(270).plus(config.announceInterval())),
                dht.announceTimes());
    }

    @Test
    void closeStopsLookupsAnnouncesAndOffers() {
        discovery.start();
        scheduler.runDue();
        FakeLookup.LookupCall running = dht.lastLookup();
        discovery.close();
        scheduler.runDue();
        running.onPeer().accept(peer(1));
        running.result().complete(Set.of(peer(2)));
        scheduler.advance(ofMinutes(60));
        assertEquals(List.of(), offered);
        assertEquals(1, dht.lookups.size());
        assertEquals(1, dht.announces.size());
    }

    @Test
    void lookupThrowingSynchronouslyCountsAsFailure() {
        PeerLookup broken = new PeerLookup() {
            @Override
            public java.util.concurrent.CompletableFuture<Set<InetSocketAddress>> getPeers(
                    InfoHash infoHash, java.util.function.Consumer<InetSocketAddress> onPeer) {
                throw new IllegalStateException("node closed");
            }

            @Override
            public java.util.concurrent.CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
                throw new IllegalStateException("node closed");
            }
        };
        DhtPeerDiscovery d = new DhtPeerDiscovery(HASH, sink, broken, scheduler, config);
        d.start();
        scheduler.advance(ofMinutes(30));
        d.close();
        scheduler.runDue();
        assertEquals(List.of(), offered);
    }
}
