package io.kadtorrent.engine.session;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.testing.TestTorrents.TestFile;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Over real sockets on 127.0.0.1: a downloader attacked by a peer that floods it with blocks it never
 * asked for, or with keep-alives, drops and bans that peer, never dials it again, and completes from an
 * honest seeder that only comes up after the attack, at an address it was given at the start (and failed
 * to reach until then).
 */
class FloodingPeerIT {

    private static final int PIECE = 32 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void blockFlooderIsBannedAndTheLateHonestSeederCompletesTheDownload() throws Exception {
        attackThenHonestSeeder(Flood.UNREQUESTED_BLOCKS);
    }

    @Test
    void keepAliveFlooderIsBannedAndTheLateHonestSeederCompletesTheDownload() throws Exception {
        attackThenHonestSeeder(Flood.KEEP_ALIVES);
    }

    private void attackThenHonestSeeder(Flood flood) throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t",
                List.of(TestFile.of(2_000_000, "x"), TestFile.of(77, "y")), PIECE, 21);
        int honestPort = freePort();
        try (Flooder attacker = new Flooder(m, flood)) {
            // plain text only, as the flooder: a preferred MSE dial it cannot answer would be a second accept
            Session client = sessions.start(LocalSessions.LOOPBACK.withEncryption(EncryptionPolicy.DISABLED));
            Torrent swarm = client.add(m, tmp.resolve("out"));
            CountDownLatch banned = new CountDownLatch(1);
            swarm.onPeerBanned(a -> banned.countDown());
            InetSocketAddress honest = new InetSocketAddress("127.0.0.1", honestPort);
            swarm.addPeers(List.of(attacker.address(), honest), true); // the honest one is not up: dials fail

            assertTrue(banned.await(60, TimeUnit.SECONDS), "the flood was noticed");
            Session seeder = Session.start(LocalSessions.LOOPBACK.withPort(honestPort));
            try {
                seeder.add(m, tmp.resolve("seed"));
                swarm.completion().get(60, TimeUnit.SECONDS);
            } finally {
                seeder.close();
            }
            assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
            assertTrue(swarm.isBanned(attacker.address()), "the flooder is banned");
            assertEquals(1, attacker.accepted.get(), "the flooder was dialled once, never again");
            assertTrue(!swarm.isBanned(honest), "the honest seeder is not banned");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private enum Flood { UNREQUESTED_BLOCKS, KEEP_ALIVES }

    /** A peer that claims every piece, unchokes, then floods: bounded in messages and in time. */
    private static final class Flooder implements AutoCloseable {
        private static final int MAX_MESSAGES = 100_000;

        final AtomicInteger accepted = new AtomicInteger();
        private final ServerSocket server;
        private final Thread thread;
        private final Metainfo metainfo;
        private final Flood flood;

        Flooder(Metainfo metainfo, Flood flood) throws IOException {
            this.metainfo = metainfo;
            this.flood = flood;
            this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            this.thread = new Thread(this::serve, "flooder");
            thread.setDaemon(true);
            thread.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", server.getLocalPort());
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    accepted.incrementAndGet();
                    s.setSoTimeout(10_000);
                    attack(s);
                } catch (IOException closedOrDropped) {
                    // the victim closed on us (expected), or the test is over
                }
            }
        }

        private void attack(Socket s) throws IOException {
            new DataInputStream(s.getInputStream()).readFully(new byte[Handshake.LENGTH]);
            OutputStream out = s.getOutputStream();
            ByteBuf hs = Unpooled.buffer();
            Handshake.of(metainfo.infoHash(), Handshake.newPeerId(new SecureRandom())).encode(hs);
            write(out, hs);
            BitSet all = new BitSet();
            all.set(0, metainfo.pieceCount());
            write(out, PeerWireCodec.encode(PeerMessage.Bitfield.of(all, metainfo.pieceCount()),
                    UnpooledByteBufAllocator.DEFAULT));
            write(out, PeerWireCodec.encode(new PeerMessage.Unchoke(), UnpooledByteBufAllocator.DEFAULT));
            PeerMessage junk = flood == Flood.KEEP_ALIVES ? new PeerMessage.KeepAlive()
                    : PeerMessage.Piece.of(metainfo.pieceCount() - 1, 0, new byte[16 * 1024]);
            ByteBuf frame = PeerWireCodec.encode(junk, UnpooledByteBufAllocator.DEFAULT);
            byte[] bytes = new byte[frame.readableBytes()];
            frame.readBytes(bytes);
            frame.release();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; i < MAX_MESSAGES && System.nanoTime() < deadline; i++) {
                out.write(bytes); // throws once the victim has closed the connection
            }
        }

        private static void write(OutputStream out, ByteBuf buf) throws IOException {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            out.write(bytes);
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(15_000);
        }
    }
}
