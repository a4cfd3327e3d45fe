package io.kadtorrent.engine.net;

import io.kadtorrent.engine.wire.BlockAllocator;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.kadtorrent.engine.wire.PeerWireDecoder;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The whole peer wire pipeline, top to bottom:
 * <pre>
 *   flush     FlushConsolidationHandler   batches the many small writes of a read burst
 *   idle      IdleStateHandler            close on read idle (BEP 3: 2 min); the connection sends keep-alives
 *   handshake HandshakeHandler            68-byte handshake, routes by info_hash, then is replaced by:
 *   frame     PeerWireDecoder             length-prefixed frames -> PeerMessage records, capped by the
 *                                         torrent before buffering; blocks go straight to buffers of their own
 *   codec     PeerWireCodec               PeerMessage records -> frames (outbound only)
 *   peer      PeerConnection              hands messages up to the torrent's swarm core
 * </pre>
 */
public final class PeerChannelInitializer extends ChannelInitializer<SocketChannel> {

    public static final String FLUSH = "flush";
    public static final String IDLE = "idle";
    public static final String HANDSHAKE = "handshake";
    public static final String FRAME = "frame";
    public static final String CODEC = "codec";
    public static final String PEER = "peer";

    static final int READ_IDLE_SECONDS = 180; // BEP 3: peers send keep-alives every 2 minutes
    /** A keep-alive goes out when nothing else did for this long (BEP 3: about every 2 minutes). */
    static final int WRITE_IDLE_SECONDS = 90;

    private final byte[] ourPeerId;
    private final Function<InfoHash, PeerTorrent> router;
    private final PeerTorrent outgoingTorrent;

    private PeerChannelInitializer(byte[] ourPeerId, Function<InfoHash, PeerTorrent> router, PeerTorrent outgoing) {
        this.ourPeerId = ourPeerId.clone();
        this.router = router;
        this.outgoingTorrent = outgoing;
    }

    /** For accepted connections: {@code router} finds the torrent for an info_hash, or null. */
    public static PeerChannelInitializer incoming(byte[] ourPeerId, Function<InfoHash, PeerTorrent> router) {
        return new PeerChannelInitializer(ourPeerId, router, null);
    }

    /** For a connection we open to download or seed {@code torrent}. */
    public static PeerChannelInitializer outgoing(byte[] ourPeerId, PeerTorrent torrent) {
        return new PeerChannelInitializer(ourPeerId, null, torrent);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(FLUSH, new FlushConsolidationHandler(256, true))
                // reads only: watching writes would cost a promise and a listener per message written
                .addLast(IDLE, new IdleStateHandler(READ_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                .addLast(HANDSHAKE, outgoingTorrent != null
                        ? HandshakeHandler.outgoing(ourPeerId, outgoingTorrent)
                        : HandshakeHandler.incoming(ourPeerId, router));
    }

    /** Called by the handshake handler once it is done: installs the message stages after it. */
    static void startMessages(ChannelHandlerContext handshakeCtx, PeerTorrent torrent, Handshake remote,
                              boolean outgoing) {
        ChannelPipeline p = handshakeCtx.pipeline();
        p.addAfter(HANDSHAKE, FRAME, frameDecoder(torrent.maxFrameBytes()));
        p.addAfter(FRAME, CODEC, PeerWireCodec.INSTANCE);
        p.addAfter(CODEC, PEER, new PeerConnection(torrent, remote, outgoing));
    }

    /**
     * BEP 3 framing and decoding: a message longer than {@code maxMessageBytes} (not counting its 4-byte
     * length prefix) closes the connection unread.
     */
    public static PeerWireDecoder frameDecoder(int maxMessageBytes) {
        return new PeerWireDecoder(maxMessageBytes, BlockAllocator.SHARED);
    }
}
