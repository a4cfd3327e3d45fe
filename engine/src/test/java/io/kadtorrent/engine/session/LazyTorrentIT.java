package io.kadtorrent.engine.session;

import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A complete torrent registered from its resume data: asleep until a peer or the caller needs it, then a seed. */
class LazyTorrentIT {

    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    /** Seeds {@code m} once in a session with {@code resumeDir}, then closes it: the resume data says complete. */
    private void seedOnce(Metainfo m, Path data, Path resumeDir) throws Exception {
        Session first = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        first.add(m, data).completion().get(30, TimeUnit.SECONDS);
        sessions.closeNow(first);
    }

    @Test
    void aLazySeedOpensNothingUntilAPeerConnectsThenServesTheWholeTorrent() throws Exception {
        Path data = tmp.resolve("seed");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = TestTorrents.multiFile(data, "t", TestTorrents.awkwardFiles(), PIECE, 21);
        seedOnce(m, data, resumeDir);
        Session seeder = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        AtomicInteger reads = new AtomicInteger();
        LazyTorrent lazy = seeder.addLazy(m.infoHash(), m.pieceCount(), data, List.of(), () -> {
            reads.incrementAndGet();
            return m;
        }).orElseThrow();
        assertEquals(0, reads.get(), "the metainfo is not read at registration");
        assertTrue(lazy.torrent().isEmpty());
        assertTrue(seeder.torrent(m.infoHash()).isEmpty(), "no swarm core yet");

        Session client = sessions.start();
        Torrent download = client.add(m, tmp.resolve("out"));
        download.addPeer(seeder.localAddress());
        download.completion().get(60, TimeUnit.SECONDS);

        assertTrue(TestTorrents.sameTree(data.resolve("t"), tmp.resolve("out/t")));
        assertEquals(m.totalBytes(), download.stats().verifiedBytes());
        Torrent woken = lazy.materialise().get(30, TimeUnit.SECONDS);
        assertEquals(woken, seeder.torrent(m.infoHash()).orElseThrow(), "the peer woke it");
        assertEquals(1, reads.get());
        assertTrue(woken.stats().uploadedBytes() >= m.totalBytes(), "it uploaded every byte");
    }

    @Test
    void aLazySeedWhoseDataIsGoneFailsWhenWokenAndCreatesNoFiles() throws Exception {
        Path data = tmp.resolve("seed");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = TestTorrents.singleFile(data, "f.bin", 5 * PIECE + 7, PIECE, 3);
        seedOnce(m, data, resumeDir);
        Files.delete(data.resolve("f.bin"));
        Session seeder = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        LazyTorrent lazy = seeder.addLazy(m.infoHash(), m.pieceCount(), data, List.of(), () -> m).orElseThrow();

        ExecutionException e = assertThrows(ExecutionException.class, () -> lazy.materialise().get(30, TimeUnit.SECONDS));
        assertInstanceOf(NoSuchFileException.class, e.getCause());
        assertFalse(Files.exists(data.resolve("f.bin")), "no empty file in place of the data");
        assertTrue(seeder.torrent(m.infoHash()).isEmpty());
        // the session forgot it: it can be added again as usual (here: a fresh, empty download)
        assertEquals(0, seeder.add(m, tmp.resolve("elsewhere")).stats().verifiedBytes());
    }

    @Test
    void aRemovedLazyTorrentNeverStarts() throws Exception {
        Path data = tmp.resolve("seed");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = TestTorrents.singleFile(data, "f.bin", 3 * PIECE, PIECE, 4);
        seedOnce(m, data, resumeDir);
        Session seeder = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        LazyTorrent lazy = seeder.addLazy(m.infoHash(), m.pieceCount(), data, List.of(), () -> m).orElseThrow();

        seeder.remove(m.infoHash()).get(30, TimeUnit.SECONDS);

        assertThrows(CancellationException.class, () -> lazy.materialise().get(30, TimeUnit.SECONDS));
        assertTrue(seeder.torrent(m.infoHash()).isEmpty());
    }

    @Test
    void withoutCompleteResumeDataNothingIsRegistered() throws Exception {
        Path data = tmp.resolve("seed");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = TestTorrents.singleFile(data, "f.bin", 3 * PIECE, PIECE, 5);
        Session session = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));

        assertTrue(session.addLazy(m.infoHash(), m.pieceCount(), data, List.of(), () -> m).isEmpty(), "no resume data");
        Session noResumeDir = sessions.start();
        assertTrue(noResumeDir.addLazy(m.infoHash(), m.pieceCount(), data, List.of(), () -> m).isEmpty());
        // a session can add it as usual afterwards
        session.add(m, data).completion().get(30, TimeUnit.SECONDS);
    }
}
