package io.kadtorrent.engine.net;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.mse.SkeyIndex;
import io.kadtorrent.engine.wire.Handshake;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes at a listening pipeline that accepts MSE (the MSE handler before the BEP 3 handshake):
 * the channel stays open waiting or closes, no exception escapes, and no buffer larger than the handshake's
 * bound or the bytes fed is allocated.
 */
class MsePipelineProperties {

    @Property(tries = 300)
    void randomBytesAtTheListenerCloseCleanly(@ForAll @Size(max = 5000) byte[] junk,
                                              @ForAll @IntRange(min = 1, max = 700) int chunk) {
        feed(junk, chunk);
    }

    @Property(tries = 150)
    void mutatedEncryptedDialsCloseCleanly(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int mutations,
                                           @ForAll @IntRange(min = 1, max = 300) int chunk) {
        byte[] stream = recordedDial(seed);
        Random r = new Random(seed);
        for (int i = 0; i < mutations; i++) {
            stream[r.nextInt(stream.length)] ^= (byte) (1 + r.nextInt(255));
        }
        feed(stream, chunk);
    }

    /** Everything an encrypted dialler sends (through its BEP 3 handshake) to a listener answering with seed 1. */
    private static byte[] recordedDial(long seed) {
        RecordingTorrent dialerTorrent = new RecordingTorrent(MsePipelineTest.HASH, MsePipelineTest.MAX_FRAME);
        EmbeddedChannel dialer = new EmbeddedChannel();
        EmbeddedChannel listener = listener(new RecordingTorrent(MsePipelineTest.HASH, MsePipelineTest.MAX_FRAME));
        byte[] id = Handshake.newPeerId(new SecureRandom());
        dialer.pipeline().addLast(PeerChannelInitializer.MSE, MseHandler.outgoing(dialerTorrent, EncryptionPolicy.PREFER,
                new SplittableRandom(seed), () -> HandshakeHandler.outgoing(id, dialerTorrent)));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Object m = dialer.readOutbound(); m != null; m = dialer.readOutbound()) {
                ByteBuf b = (ByteBuf) m;
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                sent.writeBytes(bytes);
                listener.writeInbound(b);
                moved = true;
            }
            for (Object m = listener.readOutbound(); m != null; m = listener.readOutbound()) {
                dialer.writeInbound(m);
                moved = true;
            }
        }
        dialer.finishAndReleaseAll();
        listener.finishAndReleaseAll();
        return sent.toByteArray();
    }

    private static EmbeddedChannel listener(RecordingTorrent torrent) {
        SkeyIndex skeys = new SkeyIndex();
        skeys.add(MsePipelineTest.HASH);
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(PeerChannelInitializer.MSE, MseHandler.incoming(EncryptionPolicy.PREFER, skeys,
                new SplittableRandom(1)));
        ch.pipeline().addLast(PeerChannelInitializer.HANDSHAKE, HandshakeHandler.incoming(
                Handshake.newPeerId(new SecureRandom()), h -> h.equals(MsePipelineTest.HASH) ? torrent : null));
        return ch;
    }

    private static void feed(byte[] bytes, int chunk) {
        RecordingTorrent torrent = new RecordingTorrent(MsePipelineTest.HASH, MsePipelineTest.MAX_FRAME);
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = listener(torrent);
        ch.config().setAllocator(alloc);
        for (int i = 0; i < bytes.length && ch.isOpen(); i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            ch.writeInbound(alloc.buffer(n).writeBytes(bytes, i, n)); // throws if an exception escaped
        }
        ch.checkException();
        ch.finishAndReleaseAll();
        assertTrue(alloc.largest.get() <= MsePipelineTest.MAX_FRAME + bytes.length + 1024,
                "allocated " + alloc.largest.get() + " bytes");
    }
}
