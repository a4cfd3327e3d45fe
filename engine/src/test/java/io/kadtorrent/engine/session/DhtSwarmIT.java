package io.kadtorrent.engine.session;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.testing.TestTorrents.TestFile;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.torrent.create.CreateOptions;
import io.kadtorrent.torrent.create.TorrentCreator;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole swarms on 127.0.0.1 with real sockets: one bootstrap DHT node, and sessions that find each
 * other only through the DHT (no peer is ever given by address).
 */
class DhtSwarmIT {

    private static final int PIECE = 16 * 1024;
    private static final SessionConfig LOCAL = SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0);
    /** Short, so a downloader that looked before the seeder announced looks again soon. */
    private static final Duration LOOKUP_INTERVAL = Duration.ofMillis(500);
    private static final long TIMEOUT_SECONDS = 60;

    @TempDir
    Path tmp;
    private DhtNode bootstrap;
    private final List<Session> sessions = new ArrayList<>();

    @BeforeEach
    void startBootstrapNode() throws Exception {
        bootstrap = DhtNode.start(DhtConfig.defaults());
    }

    @AfterEach
    void closeAll() throws Exception {
        for (Session s : sessions) {
            s.close();
        }
        bootstrap.close();
    }

    private Session session() throws Exception {
        Session s = Session.start(LOCAL, DhtConfig.defaults().withBootstrap(List.of(bootstrap.localAddress())),
                LOOKUP_INTERVAL);
        sessions.add(s);
        return s;
    }

    private void stop(Session s) throws Exception {
        sessions.remove(s);
        s.close();
    }

    private static void await(CompletableFuture<?> f) throws Exception {
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void downloadersFindTheSeederThroughTheDhtAndLaterServeANewcomerWithoutIt() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", List.of(
                TestFile.of(1_500_001, "a.bin"), TestFile.of(0, "empty"), TestFile.of(777_777, "dir", "b.bin")),
                PIECE, 31);
        Session seeder = session();
        seeder.add(m, tmp.resolve("seed"));
        List<Torrent> downloaders = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            downloaders.add(session().add(m, tmp.resolve("d" + i)));
        }
        for (Torrent d : downloaders) {
            await(d.completion());
        }
        stop(seeder); // from now on only former downloaders hold the data

        Torrent newcomer = session().add(m, tmp.resolve("late"));
        await(newcomer.completion());

        for (String dir : List.of("d0", "d1", "d2", "late")) {
            assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve(dir + "/t")), dir);
        }
        long servedByDownloaders = downloaders.stream().mapToLong(d -> d.stats().uploadedBytes()).sum();
        assertTrue(servedByDownloaders >= m.totalBytes(), "the newcomer's bytes all came from former downloaders");
    }

    @Test
    void swarmSurvivesASeederKilledMidTransferAndAPeerServingCorruptData() throws Exception {
        // 16 KiB pieces are single blocks, so a corrupt piece has exactly one sender to ban
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", List.of(
                TestFile.of(3_000_017, "a.bin"), TestFile.of(1_000_003, "b.bin")), PIECE, 32);
        // Downloaders and listeners first: a ban or a verified piece before its listener is on would be missed.
        Torrent first = session().add(m, tmp.resolve("d0"));
        Torrent second = session().add(m, tmp.resolve("d1"));
        CompletableFuture<Void> caught = new CompletableFuture<>();
        first.onPeerBanned(address -> caught.complete(null));
        Session doomed = session();
        Session liar = session(); // every session starts before the callback below may stop one
        CompletableFuture<Void> killed = new CompletableFuture<>();
        AtomicInteger verified = new AtomicInteger();
        AtomicLong verifiedAtKill = new AtomicLong(-1);
        first.onPieceVerified(i -> {
            // On the first downloader's disk thread, so no piece can verify there while the seeder dies.
            if (verified.incrementAndGet() == m.pieceCount() / 4) {
                try {
                    stop(doomed);
                    // Read here: once this callback returns, the other downloader may finish the job at once.
                    verifiedAtKill.set(first.stats().verifiedBytes());
                    killed.complete(null);
                } catch (Exception e) {
                    killed.completeExceptionally(e);
                }
            }
        });
        Torrent doomedSwarm = doomed.add(m, tmp.resolve("seed"));
        Torrent liarSwarm = liar.add(m, ForwardingPieceStore.corrupting(FilePieceStore.open(m, tmp.resolve("seed"))));
        await(killed);
        assertTrue(doomedSwarm.stats().uploadedBytes() > 0, "the killed seeder had been serving");
        assertTrue(verifiedAtKill.get() >= 0 && verifiedAtKill.get() < m.totalBytes(), "it died mid-transfer");
        // Now only the liar and the other downloader hold what the first one misses.
        await(caught);
        assertTrue(first.isBanned(liar.localAddress()), "the peer serving corrupt data was banned");

        session().add(m, FilePieceStore.open(m, tmp.resolve("seed"))); // an honest seeder joins late
        await(first.completion());
        await(second.completion());
        assertTrue(liarSwarm.stats().uploadedBytes() > 0);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("d0/t")));
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("d1/t")));
    }

    @Test
    void magnetLinkDownloadFromTheDhtAlone() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", List.of(
                TestFile.of(900_001, "x.bin"), TestFile.of(12, "y.txt")), PIECE, 33);
        session().add(m, tmp.resolve("seed"));
        Torrent swarm = session().addMagnet(m.infoHash(), List.of(), tmp.resolve("out"))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertArrayEquals(m.rawInfo(), swarm.metainfo().rawInfo());
        await(swarm.completion());
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
        assertEquals(m.totalBytes(), swarm.stats().verifiedBytes());
    }

    @Test
    void aPrivateTorrentIsNeverInTheDhtWhetherAddedAsleepOrFromAMagnet() throws Exception {
        Path data = tmp.resolve("seed");
        Metainfo open = TestTorrents.singleFile(data, "a.bin", 300_000, PIECE, 41);
        Metainfo closed = TorrentCreator.create(data.resolve("a.bin"), CreateOptions.defaults().withPieceLengthBytes(PIECE)
                .withPrivate(true).withTrackers(List.of(List.of("http://127.0.0.1:1/announce"))));
        Path resume = tmp.resolve("resume");
        Session seeder = Session.start(LOCAL.withResumeDir(resume),
                DhtConfig.defaults().withBootstrap(List.of(bootstrap.localAddress())), LOOKUP_INTERVAL);
        sessions.add(seeder);
        await(seeder.add(open, data).completion());
        await(seeder.add(closed, data).completion());
        assertTrue(seeder.inDht(open.infoHash()));
        assertFalse(seeder.inDht(closed.infoHash()), "BEP 27: a private torrent is not looked for or announced");

        stop(seeder); // both complete in the resume folder: they can come back asleep
        Session again = Session.start(LOCAL.withResumeDir(resume),
                DhtConfig.defaults().withBootstrap(List.of(bootstrap.localAddress())), LOOKUP_INTERVAL);
        sessions.add(again);
        again.addLazy(open.infoHash(), open.pieceCount(), data, List.of(), () -> open).orElseThrow();
        again.addLazy(closed.infoHash(), closed.pieceCount(), data, List.of(), () -> closed, false, List.of(),
                List.of()).orElseThrow();
        assertTrue(again.inDht(open.infoHash()));
        assertFalse(again.inDht(closed.infoHash()), "nor while it sleeps");

        // a magnet does not say it is private: the DHT finds its metadata, then it leaves the DHT
        Session fetcher = session();
        Torrent viaMagnet = fetcher.addMagnet(closed.infoHash(), List.of(again.localAddress()), tmp.resolve("got"))
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertTrue(viaMagnet.metainfo().isPrivate());
        assertFalse(fetcher.inDht(closed.infoHash()), "once its metadata says private");
        await(viaMagnet.completion());
    }
}
