package io.kadtorrent.engine.net;

import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Received blocks share the receive buffers: every one of them is freed once its holders let go. */
class PeerConnectionTest {

    private static final InfoHash HASH = InfoHash.ofInfo(new byte[]{4, 5, 6});
    private static final int MAX_FRAME = 16 * 1024 + 9 + 1024;

    @Test
    void disconnectMidPieceFreesEveryReceiveBufferWhileAKeptBlockStaysReadable() {
        RecordingTorrent torrent = new RecordingTorrent(HASH, MAX_FRAME).keepingBlocks();
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(PeerChannelInitializer.HANDSHAKE,
                HandshakeHandler.incoming(Handshake.newPeerId(new SecureRandom()), h -> torrent));
        ByteBuf stream = Unpooled.buffer();
        Handshake.of(HASH, Handshake.newPeerId(new SecureRandom())).encode(stream);
        byte[] block = new byte[16384];
        block[0] = 42;
        stream.writeBytes(encodePiece(0, 0, block)).writeBytes(encodePiece(0, 16384, block), 0, 9000);
        while (stream.isReadable()) { // socket-sized reads that split frames
            ch.writeInbound(alloc.directBuffer(5000).writeBytes(stream, Math.min(5000, stream.readableBytes())));
        }
        stream.release();
        ch.close(); // the peer goes away with half of the second block read
        ch.finishAndReleaseAll(); // our handshake, still queued outbound

        List<PeerMessage> pieces = torrent.messages.stream().filter(m -> m instanceof PeerMessage.Piece).toList();
        assertEquals(1, pieces.size());
        PeerMessage.Piece kept = (PeerMessage.Piece) pieces.get(0);
        int live = 0;
        for (ByteBuf b : alloc.allocated) {
            live += b.refCnt() > 0 ? 1 : 0;
        }
        assertTrue(live <= 1, "a receive buffer outlived the connection: " + live + " live");
        assertEquals(42, kept.block().bytes().get(0), "the kept block is still readable");
        assertEquals(16384, kept.lengthBytes());
        kept.release(); // the disk write is done: the block is freed
        for (ByteBuf b : alloc.allocated) {
            assertEquals(0, b.refCnt(), "a buffer outlived the kept block's release");
        }
    }

    @Test
    void sendsAKeepAliveOnlyAfterATickWithNothingSent() {
        RecordingTorrent torrent = new RecordingTorrent(HASH, MAX_FRAME);
        EmbeddedChannel ch = connected(torrent);
        long tickSeconds = PeerChannelInitializer.WRITE_IDLE_SECONDS / 2;
        torrent.connection.send(new PeerMessage.Have(1));
        assertEquals(new PeerMessage.Have(1), readOutbound(ch));
        ch.advanceTimeBy(tickSeconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertNull(ch.readOutbound(), "something was sent in this tick: no keep-alive yet");
        ch.advanceTimeBy(tickSeconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertEquals(new PeerMessage.KeepAlive(), readOutbound(ch));
        ch.finishAndReleaseAll();
    }

    @Test
    void sendsABatchOfRequestsAsOneWrite() {
        RecordingTorrent torrent = new RecordingTorrent(HASH, MAX_FRAME);
        EmbeddedChannel ch = connected(torrent);
        torrent.connection.sendRequests(List.of(new BlockRequest(3, 0, 16384), new BlockRequest(3, 16384, 16384),
                new BlockRequest(4, 0, 100)));
        ByteBuf written = ch.readOutbound();
        assertNull(ch.readOutbound(), "one buffer for the whole batch");
        List<PeerMessage> sent = new ArrayList<>();
        while (written.isReadable()) {
            sent.add(PeerWireCodec.decode(written.readSlice(written.readInt())));
        }
        written.release();
        assertEquals(List.of(new PeerMessage.Request(3, 0, 16384), new PeerMessage.Request(3, 16384, 16384),
                new PeerMessage.Request(4, 0, 100)), sent);
        ch.finishAndReleaseAll();
    }

    /** A channel past the handshake with {@code torrent}, our own handshake already taken off it. */
    private static EmbeddedChannel connected(RecordingTorrent torrent) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast(PeerChannelInitializer.HANDSHAKE,
                HandshakeHandler.incoming(Handshake.newPeerId(new SecureRandom()), h -> torrent));
        ByteBuf theirs = Unpooled.buffer();
        Handshake.of(HASH, Handshake.newPeerId(new SecureRandom())).encode(theirs);
        ch.writeInbound(theirs);
        ReferenceCountUtil.release(ch.readOutbound()); // our handshake
        return ch;
    }

    /** The next message written, decoded from its frame. */
    private static PeerMessage readOutbound(EmbeddedChannel ch) {
        ByteBuf frame = ch.readOutbound();
        try {
            frame.skipBytes(4);
            return PeerWireCodec.decode(frame);
        } finally {
            frame.release();
        }
    }

    private static byte[] encodePiece(int index, int begin, byte[] block) {
        PeerMessage.Piece p = PeerMessage.Piece.of(index, begin, block);
        ByteBuf b = PeerWireCodec.encode(p, UnpooledByteBufAllocator.DEFAULT);
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        p.release();
        return out;
    }
}
