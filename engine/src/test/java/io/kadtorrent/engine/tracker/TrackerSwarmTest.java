package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.session.LazyTorrent;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peers found only through a tracker (HTTP, UDP, a magnet's tr=), with a dead tracker first in the list. */
class TrackerSwarmTest {

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    private LocalTracker tracker;

    @BeforeEach
    void startTracker() throws Exception {
        tracker = new LocalTracker();
    }

    @AfterEach
    void stopTracker() throws Exception {
        tracker.close();
    }

    /** {@code m} with its top-level announce keys replaced; the info dictionary is untouched. */
    @SuppressWarnings("unchecked")
    private static Metainfo withTrackers(Metainfo m, String announce, List<List<String>> tiers) throws Exception {
        Map<String, Object> top = new LinkedHashMap<>((Map<String, Object>) BencodeCodec.decode(m.toBytes(),
                BencodeLimits.TORRENT_FILE));
        top.put("announce", announce);
        if (tiers != null) {
            top.put("announce-list", tiers);
        }
        Metainfo out = MetainfoParser.parse(BencodeCodec.encode(top));
        assertEquals(m.infoHash(), out.infoHash());
        return out;
    }

    private static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort(); // closed when we return: connections are refused
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached: " + what);
            }
            Thread.sleep(20); // bounds how often we look
        }
    }

    private void swarmThrough(Metainfo m, Path seedDir) throws Exception {
        Session seeder = sessions.start();
        seeder.add(m, seedDir);
        await(() -> tracker.announces.stream().anyMatch(a -> a.event().equals("started") && a.left() == 0),
                "the seeder announced");
        Session leecher = sessions.start();
        Torrent t = leecher.add(m, tmp.resolve("got"));
        t.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(seedDir.resolve(m.name()), tmp.resolve("got").resolve(m.name())));
        int leecherPort = leecher.localAddress().getPort();
        await(() -> tracker.announces.stream().anyMatch(a -> a.port() == leecherPort && a.event().equals("completed")),
                "the leecher announced completed");
        sessions.closeNow(leecher);
        await(() -> tracker.announces.stream().anyMatch(a -> a.port() == leecherPort && a.event().equals("stopped")),
                "the leecher announced stopped");
    }

    @Test
    void aLeecherFindsTheSeederThroughAnHttpTrackerAfterADeadOne() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = TestTorrents.singleFile(seedDir, "a.bin", 700_000, 32 * 1024, 3);
        String dead = "http://127.0.0.1:" + deadPort() + "/announce";
        swarmThrough(withTrackers(m, dead, List.of(List.of(dead), List.of(tracker.httpUrl()))), seedDir);
    }

    @Test
    void aLeecherFindsTheSeederThroughAUdpTracker() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = TestTorrents.singleFile(seedDir, "a.bin", 700_000, 32 * 1024, 4);
        swarmThrough(withTrackers(m, tracker.udpUrl(), null), seedDir);
    }

    @Test
    void aMagnetWithOnlyATrackerGetsItsMetadataAndData() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Metainfo m = withTrackers(TestTorrents.singleFile(seedDir, "a.bin", 300_000, 16 * 1024, 5),
                tracker.httpUrl(), null);
        Session seeder = sessions.start();
        seeder.add(m, seedDir);
        await(() -> !tracker.announces.isEmpty(), "the seeder announced");
        Session leecher = sessions.start();
        Torrent t = leecher.addMagnet(m.infoHash(), List.of(), List.of(tracker.httpUrl()), tmp.resolve("got")).get(60,
                TimeUnit.SECONDS);
        t.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(seedDir.resolve("a.bin"), tmp.resolve("got/a.bin")));
    }

    @Test
    void aSleepingSeedAnnouncesAsASeedAndWakesForTheLeecherItsTrackerNames() throws Exception {
        Path seedDir = tmp.resolve("seed");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = withTrackers(TestTorrents.singleFile(seedDir, "a.bin", 500_000, 16 * 1024, 6), tracker.httpUrl(), null);
        Session first = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        first.add(m, seedDir).completion().get(30, TimeUnit.SECONDS);
        sessions.closeNow(first); // its resume data now says complete (the tracker may still name its dead port)

        // The leecher comes first: the tracker has no one to name to it, and it dials no one.
        Session leecher = sessions.start();
        Torrent download = leecher.add(m, tmp.resolve("got"));
        int leecherPort = leecher.localAddress().getPort();
        await(() -> announcesFrom(leecherPort).contains("started"), "the leecher announced");

        Session seeder = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        int before = tracker.announces.size();
        AtomicInteger reads = new AtomicInteger();
        LazyTorrent lazy = seeder.addLazy(m.infoHash(), m.pieceCount(), seedDir, List.of(), () -> {
            reads.incrementAndGet();
            return m;
        }, true, TrackerPeerSource.tiersOf(m.announceList(), m.announce()), m.nodes()).orElseThrow();
        download.completion().get(60, TimeUnit.SECONDS);

        assertTrue(TestTorrents.sameTree(seedDir.resolve("a.bin"), tmp.resolve("got/a.bin")));
        assertEquals(List.of("started"), announcesFrom(leecherPort).stream().filter(e -> !e.equals("completed")).toList(),
                "the leecher never asked the tracker again, so only the seeder could have made the connection");
        assertTrue(lazy.torrent().isPresent(), "the peer its tracker named woke it");
        assertEquals(1, reads.get());
        int seederPort = seeder.localAddress().getPort();
        List<LocalTracker.Seen> fromSeeder = tracker.announces.subList(before, tracker.announces.size()).stream()
                .filter(a -> a.port() == seederPort).toList();
        assertEquals("started", fromSeeder.get(0).event());
        assertEquals(0, fromSeeder.get(0).left(), "asleep, it announced as a seed");
        assertTrue(fromSeeder.stream().noneMatch(a -> a.event().equals("stopped")), "starting, it never said it left");
    }

    private List<String> announcesFrom(int port) {
        return tracker.announces.stream().filter(a -> a.port() == port).map(LocalTracker.Seen::event).toList();
    }
}
