package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.discovery.ManualScheduler;
import io.kadtorrent.engine.discovery.PeerSink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Announces on virtual time to a real local tracker: what a source offers its torrent from each answer. */
class TrackerPeerSourceTest {

    private static final InfoHash HASH = InfoHash.of(new byte[20]);
    private static final byte[] PEER_ID = "-KT0000-testtesttest".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final LocalTracker tracker;
    private final TrackerClient client = new TrackerClient();
    private final ManualScheduler scheduler = new ManualScheduler();

    TrackerPeerSourceTest() throws Exception {
        tracker = new LocalTracker();
    }

    @AfterEach
    void stop() throws Exception {
        tracker.close();
    }

    /** Someone else announces: a seed when {@code left} is 0. */
    private void announceOther(int port, long left) throws Exception {
        client.announce(URI.create(tracker.httpUrl()),
                new AnnounceRequest(HASH, PEER_ID, port, 0, 0, left, AnnounceRequest.Event.STARTED, 1, 50));
    }

    private static final class Offers implements PeerSink {
        final List<InetSocketAddress> offered = new ArrayList<>();
        final boolean complete;

        Offers(boolean complete) {
            this.complete = complete;
        }

        @Override
        public boolean needsPeers() {
            return false;
        }

        @Override
        public void offer(InetSocketAddress peer) {
            offered.add(peer);
        }

        @Override
        public boolean complete() {
            return complete;
        }
    }

    /** A source announcing from {@code port} as a seed; its io runs inline, so each step is done when runDue returns. */
    private TrackerPeerSource source(int port, PeerSink sink) {
        return new TrackerPeerSource(List.of(List.of(URI.create(tracker.httpUrl()))), scheduler, Runnable::run, client,
                e -> new AnnounceRequest(HASH, PEER_ID, port, 0, 0, 0, e, 2, 50), sink, new Random(1), "test");
    }

    @Test
    void aCompleteTorrentIsNotOfferedTheSeedsOfASwarmWithNoOneDownloading() throws Exception {
        announceOther(7001, 0);
        Offers sleeping = new Offers(true);
        Offers running = new Offers(false);
        TrackerPeerSource a = source(7101, sleeping);
        TrackerPeerSource b = source(7102, running);
        a.start();
        b.start();
        scheduler.runDue();
        assertEquals(List.of(), sleeping.offered, "only seeds: nothing to wake for");
        assertEquals(new InetSocketAddress("127.0.0.1", 7001), running.offered.get(0), "a torrent that may want pieces");

        announceOther(7002, 1_000); // a leecher arrives
        scheduler.advance(Duration.ofSeconds(1800)); // the tracker's interval: both announce again
        assertEquals(3, sleeping.offered.size(), "a swarm with a leecher: every peer, " + sleeping.offered);
        a.close();
        b.close();
    }

    @Test
    void aDelayedStartAnnouncesOnlyOnceTheDelayIsOverAndNeverAfterClose() throws Exception {
        TrackerPeerSource later = source(7201, new Offers(true));
        TrackerPeerSource closed = source(7202, new Offers(true));
        later.start(Duration.ofSeconds(5));
        closed.start(Duration.ofSeconds(5));
        scheduler.advance(Duration.ofMillis(4_999));
        assertEquals(List.of(), tracker.announces, "nothing before its time");
        closed.close();
        scheduler.advance(Duration.ofMillis(1));
        assertEquals(List.of(new LocalTracker.Seen(HASH.hex(), 7201, "started", 0)), tracker.announces);
        later.close();
    }
}
