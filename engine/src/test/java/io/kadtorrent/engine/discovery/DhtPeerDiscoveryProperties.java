package io.kadtorrent.engine.discovery;

import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DhtPeerDiscoveryProperties {

    private static final InfoHash HASH = InfoHash.parse("00112233445566778899aabbccddeeff00112233");

    /**
     * Whatever the DHT does (answers, fails, or never answers) and however the swarm's need for
     * peers changes: lookups never start closer than the first gap, never stop for longer than two
     * of the longest backoffs, and no peer is offered twice.
     */
    @Property(tries = 200)
    void lookupsArePacedAndLiveAndPeersAreOfferedOnce(@ForAll long seed) {
        Random random = new Random(seed);
        ManualScheduler scheduler = new ManualScheduler();
        FakeLookup dht = new FakeLookup(scheduler);
        List<InetSocketAddress> offered = new ArrayList<>();
        Set<InetSocketAddress> returned = new HashSet<>();
        boolean[] needsPeers = {true};
        PeerSink sink = new PeerSink() {
            @Override
            public boolean needsPeers() {
                return needsPeers[0];
            }

            @Override
            public void offer(InetSocketAddress peer) {
                offered.add(peer);
            }
        };
        DiscoveryConfig config = DiscoveryConfig.defaults(6881);
        DhtPeerDiscovery discovery = new DhtPeerDiscovery(HASH, sink, dht, scheduler, config);
        discovery.start();
        scheduler.runDue();

        for (int step = 0; step < 150; step++) {
            scheduler.advance(Duration.ofSeconds(random.nextInt(120)));
            switch (random.nextInt(6)) {
                case 0 -> needsPeers[0] = !needsPeers[0];
                case 1 -> discovery.peersNeeded();
                case 2 -> dht.lastLookup().result().completeExceptionally(new IllegalStateException("lost"));
                case 3 -> { } // the DHT stays silent
                default -> {
                    FakeLookup.LookupCall call = dht.lastLookup();
                    for (int i = random.nextInt(4); i > 0; i--) {
                        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 1 + random.nextInt(20));
                        returned.add(peer);
                        call.onPeer().accept(peer);
                    }
                    call.result().complete(Set.of());
                }
            }
            scheduler.runDue();
        }
        discovery.close();
        scheduler.runDue();

        List<Duration> starts = dht.lookupTimes();
        for (int i = 1; i < starts.size(); i++) {
            Duration gap = starts.get(i).minus(starts.get(i - 1));
            assertTrue(gap.compareTo(config.firstLookupGap()) >= 0, "lookups too close: " + starts);
            // a failure reported just before the next start pushes it one backoff past the failure
            assertTrue(gap.compareTo(config.maxBackoff().multipliedBy(2)) <= 0, "discovery stalled: " + starts);
        }
        assertEquals(new HashSet<>(offered).size(), offered.size(), "a peer was offered twice");
        assertTrue(returned.containsAll(offered));
        assertEquals(0, scheduler.pending(), "close cancels every timer");
    }
}
