package io.kadtorrent.engine.session;

import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.testing.TestTorrents.TestFile;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real sockets on 127.0.0.1: seeders and downloaders in one JVM, each with its own session. */
class SwarmIT {

    private static final int PIECE = 32 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void seedToGetOfAwkwardMultiFileTorrentIsByteIdentical() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 11);
        Session seeder = sessions.start();
        seeder.add(m, tmp.resolve("seed"));
        Session client = sessions.start();
        Torrent swarm = client.add(m, tmp.resolve("out"));
        swarm.addPeer(seeder.localAddress());
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
        assertTrue(TestTorrents.sameTree(tmp.resolve("out/t"), tmp.resolve("seed/t")), "no extra files");
        assertEquals(m.totalBytes(), swarm.stats().verifiedBytes());
    }

    @Test
    void twoPartialSeedersTogetherCompleteOneClient() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t",
                List.of(TestFile.of(700_001, "x"), TestFile.of(333_333, "y")), PIECE, 12);
        int half = m.pieceCount() / 2;
        Session a = sessions.start();
        a.add(m, ForwardingPieceStore.partial(FilePieceStore.open(m, tmp.resolve("seed")), i -> i < half));
        Session b = sessions.start();
        b.add(m, ForwardingPieceStore.partial(FilePieceStore.open(m, tmp.resolve("seed")), i -> i >= half));
        Session client = sessions.start();
        Torrent swarm = client.add(m, tmp.resolve("out"));
        swarm.addPeer(a.localAddress());
        swarm.addPeer(b.localAddress());
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
        // what the client got from each (the two may also trade with each other once peer exchange
        // introduces them, so their own upload counters can exceed one copy)
        var got = swarm.downloadedByPeer();
        assertEquals(2, got.values().stream().filter(n -> n > 0).count(), "both seeders served: " + got);
        assertEquals(m.totalBytes(), got.values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void restartedDownloadNeverFetchesVerifiedPiecesAgain() throws Exception {
        restartAndCount(false);
    }

    @Test
    void restartWithoutResumeDataRehashesAndStillSkipsVerifiedPieces() throws Exception {
        restartAndCount(true); // as after kill -9 before any resume data was saved
    }

    private void restartAndCount(boolean loseResumeData) throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 13);
        int firstRun = m.pieceCount() / 2;
        Session partialSeeder = sessions.start();
        partialSeeder.add(m, ForwardingPieceStore.partial(FilePieceStore.open(m, tmp.resolve("seed")), i -> i < firstRun));
        Session client = sessions.start(); // closed by @AfterEach if an assertion fails before the "kill"
        Torrent swarm = client.add(m, tmp.resolve("out"));
        CountDownLatch verified = new CountDownLatch(firstRun);
        swarm.onPieceVerified(i -> verified.countDown());
        swarm.addPeer(partialSeeder.localAddress());
        assertTrue(verified.await(60, TimeUnit.SECONDS), "first run verified what the partial seeder has");
        sessions.closeNow(client); // the "kill": stop mid-download, resume data saved
        if (loseResumeData) {
            java.nio.file.Files.delete(tmp.resolve("out/.kadtorrent/" + m.infoHash().hex() + ".resume"));
        }

        BitSet before;
        try (FilePieceStore reopened = FilePieceStore.open(m, tmp.resolve("out"))) {
            before = reopened.verifiedPieces();
        }
        assertEquals(firstRun, before.cardinality());
        long alreadyVerifiedBytes = before.stream().mapToLong(i -> m.layout().pieceSize(i)).sum();

        Session fullSeeder = sessions.start();
        fullSeeder.add(m, tmp.resolve("seed"));
        Session again = sessions.start();
        Torrent resumed = again.add(m, tmp.resolve("out"));
        resumed.addPeer(fullSeeder.localAddress());
        resumed.completion().get(60, TimeUnit.SECONDS);
        assertEquals(m.totalBytes() - alreadyVerifiedBytes, resumed.stats().downloadedBytes(),
                "only the pieces missing after the restart were received");
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void removedTorrentStopsSharingAndKeepsItsVerifiedPiecesForALaterAdd() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 16);
        int half = m.pieceCount() / 2;
        Session partialSeeder = sessions.start();
        Torrent partial = partialSeeder.add(m,
                ForwardingPieceStore.partial(FilePieceStore.open(m, tmp.resolve("seed")), i -> i < half));
        Session client = sessions.start();
        Torrent swarm = client.add(m, tmp.resolve("out"));
        CountDownLatch verified = new CountDownLatch(half);
        swarm.onPieceVerified(i -> verified.countDown());
        swarm.addPeer(partialSeeder.localAddress());
        assertTrue(verified.await(60, TimeUnit.SECONDS), "the client has what the partial seeder has");

        client.remove(m.infoHash()).get(30, TimeUnit.SECONDS);
        assertTrue(client.torrent(m.infoHash()).isEmpty(), "gone from the session");
        assertEquals(0, swarm.stats().peers(), "its connections are closed");
        assertTrue(eventually(() -> partial.stats().peers() == 0), "and the other side saw them close");

        Session fullSeeder = sessions.start();
        fullSeeder.add(m, tmp.resolve("seed"));
        Torrent again = client.add(m, tmp.resolve("out")); // the same session, the same folder
        assertEquals(half, again.store().orElseThrow().verifiedCount(), "resume data saved on removal");
        again.addPeer(fullSeeder.localAddress());
        again.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void peerSendingCorruptBlocksIsBannedAndHonestPeerFinishes() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t",
                List.of(TestFile.of(900_000, "x"), TestFile.of(5, "y")), PIECE, 14);
        Session liar = sessions.start();
        Torrent liarSwarm = liar.add(m, ForwardingPieceStore.corrupting(FilePieceStore.open(m, tmp.resolve("seed"))));
        Session honest = sessions.start();
        honest.add(m, tmp.resolve("seed"));
        Session client = sessions.start();
        Torrent swarm = client.add(m, tmp.resolve("out"));
        CountDownLatch banned = new CountDownLatch(1);
        swarm.onPeerBanned(a -> banned.countDown());
        swarm.addPeer(liar.localAddress());
        assertTrue(banned.await(60, TimeUnit.SECONDS), "the liar's bad piece was caught");
        swarm.addPeer(honest.localAddress());
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
        assertTrue(liarSwarm.stats().uploadedBytes() > 0, "the liar did send data");
        assertTrue(swarm.isBanned(liar.localAddress()), "and was banned");
        assertTrue(!swarm.isBanned(honest.localAddress()));
    }

    @Test
    void badPeersAreDisconnectedWithoutHarmingOthers() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), PIECE, 15);
        Session seeder = sessions.start();
        seeder.add(m, tmp.resolve("seed"));
        InetSocketAddress at = seeder.localAddress();
        // wrong info_hash: closed right after the first 48 bytes
        assertClosedAfter(at, handshake(InfoHash.ofInfo(new byte[]{42})), new byte[0]);
        // right info_hash, then a frame claiming 2 GiB: closed without reading it
        assertClosedAfter(at, handshake(m.infoHash()), new byte[]{0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 7});
        // a request for a piece that does not exist
        assertClosedAfter(at, handshake(m.infoHash()),
                new byte[]{0, 0, 0, 13, 6, 0, 0, 0x7f, 0, 0, 0, 0, 0, 0, 0, 0x40, 0});
        Session client = sessions.start();
        Torrent swarm = client.add(m, tmp.resolve("out"));
        swarm.addPeer(at);
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    /** Asks {@code condition} every 10 ms until it holds, for at most 10 s (another process's view, seen over TCP). */
    private static boolean eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private static byte[] handshake(InfoHash hash) {
        ByteBuf b = Unpooled.buffer();
        Handshake.of(hash, Handshake.newPeerId(new SecureRandom())).encode(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    /** Sends bytes and expects the peer to close: reads until EOF, with a timeout. */
    private static void assertClosedAfter(InetSocketAddress at, byte[] handshake, byte[] then) throws Exception {
        try (Socket s = new Socket(at.getAddress(), at.getPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(handshake);
            out.write(then);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            long total = 0;
            int n;
            while ((n = in.read(buf)) >= 0 && total < 10_000_000) {
                total += n;
            }
            assertEquals(-1, n, "peer closed the connection");
        }
    }
}
