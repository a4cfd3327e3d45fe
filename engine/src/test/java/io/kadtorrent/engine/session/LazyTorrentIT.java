package io.kadtorrent.engine.session;

import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
    @Test
    void aPeerFloodingASeedThatIsStillStartingIsClosedAndTheSeedStillStarts() throws Exception {
        Path data = tmp.resolve("seed");
        Path resumeDir = tmp.resolve("resume");
        Metainfo m = TestTorrents.singleFile(data, "f.bin", 3 * PIECE, PIECE, 6);
        seedOnce(m, data, resumeDir);
        Session seeder = sessions.start(LocalSessions.LOOPBACK.withResumeDir(resumeDir));
        CountDownLatch filesOpen = new CountDownLatch(1);
        LazyTorrent lazy = seeder.addLazy(m.infoHash(), m.pieceCount(), data, List.of(), () -> {
            filesOpen.await(60, TimeUnit.SECONDS); // slow to start (say, re-hashing): the flood arrives meanwhile
            return m;
        }).orElseThrow();

        boolean closedOnUs;
        try (Socket s = new Socket()) {
            s.connect(seeder.localAddress(), 10_000);
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(bytes(encodeHandshake(m)));
            byte[] have = bytes(PeerWireCodec.encode(new PeerMessage.Have(0), UnpooledByteBufAllocator.DEFAULT));
            try {
                for (int i = 0; i < 100 * LazyTorrent.MAX_HELD_PER_CONNECTION; i++) {
                    out.write(have);
                }
            } catch (IOException resetByTheSeeder) {
                // it closed on us mid-flood
            }
            closedOnUs = readsToTheEnd(s.getInputStream());
        }
        assertTrue(closedOnUs, "the flooding connection was closed while the torrent was starting");
        assertTrue(lazy.torrent().isEmpty(), "still starting");

        filesOpen.countDown();
        Torrent woken = lazy.materialise().get(30, TimeUnit.SECONDS);
        assertEquals(woken, seeder.torrent(m.infoHash()).orElseThrow(), "it started after all");
    }

    private static ByteBuf encodeHandshake(Metainfo m) {
        ByteBuf hs = Unpooled.buffer();
        Handshake.of(m.infoHash(), Handshake.newPeerId(new SecureRandom())).encode(hs);
        return hs;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        buf.release();
        return out;
    }

    /** True once the other side has closed (end of stream or a reset); false if it is still open after the timeout. */
    private static boolean readsToTheEnd(InputStream in) {
        byte[] sink = new byte[4096];
        try {
            for (int i = 0; i < 10_000; i++) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
