package io.kadtorrent.engine.net;

import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.security.SecureRandom;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile bytes through the real handshake handler, frame decoder, codec and connection on an
 * {@link EmbeddedChannel}: the channel only ever stays open or closes cleanly, no exception escapes
 * the pipeline, and no buffer larger than the frame cap plus the bytes fed is allocated.
 */
class PeerPipelineProperties {

    private static final InfoHash HASH = InfoHash.ofInfo(new byte[]{1, 2, 3});
    private static final int MAX_FRAME = 16 * 1024 + 9 + 1024;

    @Property(tries = 300)
    void randomBytesAfterHandshakeCloseCleanly(@ForAll @Size(max = 4000) byte[] junk,
                                               @ForAll @IntRange(min = 1, max = 97) int chunk) {
        feed(concat(handshake(), junk), chunk);
    }

    @Property(tries = 300)
    void mutatedValidStreamsCloseCleanly(@ForAll("validStreams") byte[] stream, @ForAll long seed,
                                         @ForAll @IntRange(min = 1, max = 8) int mutations,
                                         @ForAll @IntRange(min = 1, max = 97) int chunk) {
        Random r = new Random(seed);
        byte[] mutated = stream.clone();
        for (int i = 0; i < mutations; i++) {
            mutated[r.nextInt(mutated.length)] = (byte) r.nextInt(256);
        }
        feed(mutated, chunk);
    }

    @Provide
    Arbitrary<byte[]> validStreams() {
        Arbitrary<PeerMessage> m = Arbitraries.of(new PeerMessage.Have(3), new PeerMessage.Request(1, 0, 16384),
                new PeerMessage.Bitfield(new byte[]{(byte) 0xff, 0x01}), new PeerMessage.Unchoke(),
                PeerMessage.Piece.of(0, 0, new byte[100]), new PeerMessage.Port(6881),
                new PeerMessage.Extended(1, new byte[20]));
        return m.list().ofMinSize(1).ofMaxSize(8).map(list -> {
            byte[] out = handshake();
            for (PeerMessage msg : list) {
                ByteBuf b = PeerWireCodec.encode(msg, UnpooledByteBufAllocator.DEFAULT);
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                b.release();
                out = concat(out, bytes);
            }
            return out;
        });
    }

    private static void feed(byte[] bytes, int chunk) {
        RecordingTorrent torrent = new RecordingTorrent(HASH, MAX_FRAME);
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(PeerChannelInitializer.HANDSHAKE,
                HandshakeHandler.incoming(Handshake.newPeerId(new SecureRandom()), h -> torrent));
        for (int i = 0; i < bytes.length && ch.isOpen(); i += chunk) {
            int n = Math.min(chunk, bytes.length - i);
            ch.writeInbound(alloc.buffer(n).writeBytes(bytes, i, n)); // throws if an exception escaped
        }
        ch.checkException();
        ch.finishAndReleaseAll();
        assertTrue(alloc.largest.get() <= MAX_FRAME + bytes.length + 256,
                "allocated " + alloc.largest.get() + " bytes");
        for (PeerMessage m : torrent.messages) {
            if (m instanceof PeerMessage.Piece p) {
                assertTrue(p.lengthBytes() <= 16 * 1024);
            }
        }
    }

    private static byte[] handshake() {
        ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer();
        Handshake.of(HASH, Handshake.newPeerId(new SecureRandom())).encode(b);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
