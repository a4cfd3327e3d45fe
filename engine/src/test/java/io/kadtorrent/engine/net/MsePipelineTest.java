package io.kadtorrent.engine.net;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.mse.SkeyIndex;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.SocketException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.SplittableRandom;

import static io.kadtorrent.engine.mse.EncryptionPolicy.DISABLED;
import static io.kadtorrent.engine.mse.EncryptionPolicy.ENABLED;
import static io.kadtorrent.engine.mse.EncryptionPolicy.PREFER;
import static io.kadtorrent.engine.mse.EncryptionPolicy.REQUIRE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dialling pipeline and a listening one, as {@link PeerChannelInitializer} builds them, wired back to back
 * on {@link EmbeddedChannel}s: which policy pairs connect, how, and that messages cross both ways.
 */
class MsePipelineTest {

    static final InfoHash HASH = InfoHash.ofInfo(new byte[]{4, 5, 6});
    static final InfoHash OTHER = InfoHash.ofInfo(new byte[]{7, 8, 9});
    static final int MAX_FRAME = 32 * 1024;

    enum Outcome { PLAIN, MSE_THEN_PLAIN, RC4, REFUSED }

    /** One dial attempt: the two channels after every byte either sent has been delivered. */
    static final class Link {
        final RecordingTorrent dialerTorrent;
        final RecordingTorrent listenerTorrent = new RecordingTorrent(HASH, MAX_FRAME);
        final RecordingTorrent otherListenerTorrent = new RecordingTorrent(OTHER, MAX_FRAME);
        final EmbeddedChannel dialer = new EmbeddedChannel();
        final EmbeddedChannel listener = new EmbeddedChannel();

        Link(EncryptionPolicy dialerPolicy, boolean encrypted, EncryptionPolicy listenerPolicy) {
            this(dialerPolicy, encrypted, listenerPolicy, HASH);
        }

        /**
         * The listener serves {@link #HASH} and {@link #OTHER}; the dialer encrypts for {@link #HASH} and
         * names {@code handshakeFor} in its BEP 3 handshake.
         */
        Link(EncryptionPolicy dialerPolicy, boolean encrypted, EncryptionPolicy listenerPolicy, InfoHash handshakeFor) {
            dialerTorrent = new RecordingTorrent(handshakeFor, MAX_FRAME);
            SkeyIndex skeys = new SkeyIndex();
            skeys.add(HASH);
            skeys.add(OTHER);
            SecureRandom random = new SecureRandom();
            for (EmbeddedChannel ch : new EmbeddedChannel[]{dialer, listener}) {
                ch.freezeTime();
                PeerChannelInitializer.armHandshakeDeadline(ch);
            }
            if (listenerPolicy.acceptsEncrypted()) {
                listener.pipeline().addLast(PeerChannelInitializer.MSE, MseHandler.incoming(listenerPolicy, skeys,
                        new SplittableRandom(1)));
            }
            listener.pipeline().addLast(PeerChannelInitializer.HANDSHAKE, HandshakeHandler.incoming(
                    Handshake.newPeerId(random), h -> h.equals(HASH) ? listenerTorrent : h.equals(OTHER) ? otherListenerTorrent : null));
            byte[] dialerId = Handshake.newPeerId(random);
            if (encrypted) {
                RecordingTorrent mseFor = new RecordingTorrent(HASH, MAX_FRAME);
                dialer.pipeline().addLast(PeerChannelInitializer.MSE, MseHandler.outgoing(mseFor, dialerPolicy,
                        new SplittableRandom(2), () -> HandshakeHandler.outgoing(dialerId, dialerTorrent)));
            } else {
                dialer.pipeline().addLast(PeerChannelInitializer.HANDSHAKE,
                        HandshakeHandler.outgoing(dialerId, dialerTorrent));
            }
            pump();
        }

        /** Delivers what each side wrote to the other until neither writes more. */
        void pump() {
            boolean moved = true;
            while (moved) {
                moved = deliver(dialer, listener) | deliver(listener, dialer);
            }
            dialer.checkException();
            listener.checkException();
        }

        private static boolean deliver(EmbeddedChannel from, EmbeddedChannel to) {
            boolean moved = false;
            for (Object m = from.readOutbound(); m != null; m = from.readOutbound()) {
                ByteBuf b = assertInstanceOf(ByteBuf.class, m);
                if (to.isOpen()) {
                    to.writeInbound(b);
                } else {
                    b.release();
                }
                moved = true;
            }
            return moved;
        }

        boolean connected() {
            return dialerTorrent.connection != null && listenerTorrent.connection != null
                    && dialer.isOpen() && listener.isOpen();
        }

        void close() {
            dialer.finishAndReleaseAll();
            listener.finishAndReleaseAll();
        }
    }

    /** Dials as the session does: each attempt of the policy in turn while the other way might work. */
    static Outcome connect(EncryptionPolicy dialerPolicy, EncryptionPolicy listenerPolicy) {
        for (boolean encrypted : dialerPolicy.dialAttempts()) {
            Link link = new Link(dialerPolicy, encrypted, listenerPolicy);
            try {
                if (link.connected()) {
                    checkMessagesCross(link);
                    boolean rc4 = link.dialerTorrent.connection.isEncrypted();
                    assertEquals(rc4, link.listenerTorrent.connection.isEncrypted());
                    return rc4 ? Outcome.RC4 : encrypted ? Outcome.MSE_THEN_PLAIN : Outcome.PLAIN;
                }
                assertFalse(link.dialer.isOpen() && link.listener.isOpen(), "a failed attempt closes");
                link.dialer.close();
                if (!PeerChannelInitializer.worthRetryingOtherWay(link.dialer, encrypted)) {
                    return Outcome.REFUSED;
                }
            } finally {
                link.close();
            }
        }
        return Outcome.REFUSED;
    }

    private static void checkMessagesCross(Link link) {
        link.dialerTorrent.connection.send(new PeerMessage.Have(7));
        link.listenerTorrent.connection.send(new PeerMessage.Have(9));
        link.pump();
        assertEquals(new PeerMessage.Have(7), link.listenerTorrent.messages.get(link.listenerTorrent.messages.size() - 1));
        assertEquals(new PeerMessage.Have(9), link.dialerTorrent.messages.get(link.dialerTorrent.messages.size() - 1));
    }

    @Test
    void everyPolicyPairConnectsAsTheTableSaysOrIsRefused() {
        EncryptionPolicy[] all = EncryptionPolicy.values();
        Outcome[][] expected = {
                // listener: disabled,      enabled,                 prefer,       require
                {Outcome.PLAIN, Outcome.PLAIN, Outcome.PLAIN, Outcome.REFUSED},                 // dialer disabled
                {Outcome.PLAIN, Outcome.PLAIN, Outcome.PLAIN, Outcome.RC4},                     // dialer enabled
                {Outcome.PLAIN, Outcome.MSE_THEN_PLAIN, Outcome.RC4, Outcome.RC4},              // dialer prefer
                {Outcome.REFUSED, Outcome.RC4, Outcome.RC4, Outcome.RC4},                       // dialer require
        };
        for (int d = 0; d < all.length; d++) {
            for (int l = 0; l < all.length; l++) {
                assertEquals(expected[d][l], connect(all[d], all[l]), all[d] + " dials " + all[l]);
            }
        }
    }

    @Test
    void requiringListenerClosesAPlainTextPeerWithoutAnswering() {
        Link link = new Link(DISABLED, false, REQUIRE);
        assertFalse(link.listener.isOpen());
        assertTrue(link.listenerTorrent.connection == null && link.dialerTorrent.connection == null);
        link.close();
    }

    @Test
    void encryptedConnectionSendsFileRegionsThroughTheCipher(@TempDir Path tmp) throws Exception {
        Link link = new Link(REQUIRE, true, PREFER);
        assertTrue(link.connected());
        link.dialerTorrent.keepingBlocks();
        byte[] data = new byte[40_000];
        new SplittableRandom(3).nextBytes(data);
        Path file = Files.write(tmp.resolve("block"), data);
        PeerConnection sender = link.listenerTorrent.connection;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            sender.sendBlock(2, 0, 16_384, java.util.List.of(new DefaultFileRegion(ch, 100, 16_384)), null);
            link.pump();
        }
        PeerMessage last = link.dialerTorrent.messages.get(link.dialerTorrent.messages.size() - 1);
        PeerMessage.Piece piece = assertInstanceOf(PeerMessage.Piece.class, last);
        assertEquals(2, piece.pieceIndex());
        byte[] got = new byte[piece.lengthBytes()];
        piece.block().bytes().get(got);
        piece.release();
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 100 + 16_384), got);
        link.close();
    }

    @Test
    void aPeerThatStallsInTheMiddleOfTheHandshakeIsClosedAtTheDeadline() {
        EmbeddedChannel dialer = new EmbeddedChannel();
        RecordingTorrent torrent = new RecordingTorrent(HASH, MAX_FRAME);
        dialer.freezeTime();
        PeerChannelInitializer.armHandshakeDeadline(dialer);
        dialer.pipeline().addLast(PeerChannelInitializer.MSE, MseHandler.outgoing(torrent, REQUIRE,
                new SplittableRandom(5), () -> HandshakeHandler.outgoing(Handshake.newPeerId(new SecureRandom()), torrent)));
        dialer.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(new byte[40])); // part of a Yb, then silence
        dialer.advanceTimeBy(PeerChannelInitializer.HANDSHAKE_TIMEOUT_SECONDS - 1, java.util.concurrent.TimeUnit.SECONDS);
        dialer.runScheduledPendingTasks();
        assertTrue(dialer.isOpen());
        dialer.advanceTimeBy(1, java.util.concurrent.TimeUnit.SECONDS);
        dialer.runScheduledPendingTasks();
        assertFalse(dialer.isOpen());
        dialer.finishAndReleaseAll();
    }

    @Test
    void aCompletedHandshakeDisarmsTheDeadline() {
        Link link = new Link(PREFER, true, PREFER);
        assertTrue(link.connected());
        for (EmbeddedChannel ch : new EmbeddedChannel[]{link.dialer, link.listener}) {
            ch.advanceTimeBy(PeerChannelInitializer.HANDSHAKE_TIMEOUT_SECONDS + 1, java.util.concurrent.TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
        }
        assertTrue(link.connected());
        link.close();
    }

    @Test
    void enabledListenerPicksPlainTextAfterAnMseHandshakeWhenOffered() {
        Link link = new Link(PREFER, true, ENABLED);
        assertTrue(link.connected());
        assertTrue(PeerChannelInitializer.encryptionDone(link.dialer));
        assertFalse(link.dialerTorrent.connection.isEncrypted());
        link.close();
    }

    /**
     * A peer killed (kill -9) in the middle of its encryption handshake resets the connection: the crash
     * harness (docs/crash-consistency.md) saw that logged as an ERROR with its stack trace. It closes the
     * channel quietly; only what cannot come from a peer stays an ERROR.
     */
    @Test
    void aPeerResettingTheConnectionMidHandshakeIsClosedAsThePeersFault() {
        EmbeddedChannel ch = new EmbeddedChannel(MseHandler.incoming(ENABLED, new SkeyIndex(), new SplittableRandom(3)));
        ch.pipeline().fireExceptionCaught(new SocketException("Connection reset"));
        assertFalse(ch.isOpen());
        assertTrue(MseHandler.isPeerFault(new SocketException("Connection reset")));
        assertTrue(MseHandler.isPeerFault(new IOException("Broken pipe")));
        assertFalse(MseHandler.isPeerFault(new IllegalStateException("ours")));
    }

    @Test
    void aHandshakeForAnotherTorrentThanTheEncryptionWasForIsRefused() {
        Link link = new Link(REQUIRE, true, PREFER, OTHER);
        assertTrue(PeerChannelInitializer.encryptionDone(link.listener));
        assertFalse(link.listener.isOpen(), "the SKEY named one torrent, the handshake inside another");
        assertEquals(null, link.otherListenerTorrent.connection);
        assertEquals(null, link.listenerTorrent.connection);
        link.close();

        Link same = new Link(REQUIRE, true, PREFER, HASH);
        assertTrue(same.connected(), "the same torrent both times still connects");
        same.close();
    }

    @Test
    void aHandshakeForAnUnknownTorrentConnectsNothingEvenWhenItsPeerIdFollows() {
        Link link = new Link(DISABLED, false, PREFER, InfoHash.ofInfo(new byte[]{1}));
        assertFalse(link.listener.isOpen());
        assertEquals(null, link.listenerTorrent.connection);
        assertEquals(null, link.otherListenerTorrent.connection);
        link.close();
    }
}
