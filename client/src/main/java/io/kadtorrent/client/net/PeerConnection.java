package io.kadtorrent.client.net;

import io.kadtorrent.client.storage.FileSlice;
import io.kadtorrent.client.wire.BlockRequest;
import io.kadtorrent.client.wire.Handshake;
import io.kadtorrent.client.wire.PeerMessage;
import io.kadtorrent.client.wire.PeerProtocolException;
import io.kadtorrent.client.wire.PeerWireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One live peer connection after the handshake: hands decoded messages to its torrent and offers
 * the torrent ways to send. Any protocol error closes only this connection, with the reason logged.
 */
public final class PeerConnection extends SimpleChannelInboundHandler<PeerMessage> {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);
    private static final PeerMessage KEEP_ALIVE = new PeerMessage.KeepAlive();

    private final PeerTorrent torrent;
    private final Handshake remote;
    private final AtomicBoolean opened = new AtomicBoolean();
    private volatile Channel channel;
    /** Set by every send, cleared by the keep-alive timer: a plain flag costs less than timing each write. */
    private volatile boolean sentSinceTick;
    private ScheduledFuture<?> keepAlive;

    PeerConnection(PeerTorrent torrent, Handshake remote) {
        this.torrent = torrent;
        this.remote = remote;
    }

    /** The peer's handshake (its peer_id and reserved bits). */
    public Handshake remote() {
        return remote;
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    public boolean isWritable() {
        return channel.isWritable();
    }

    public void send(PeerMessage message) {
        sentSinceTick = true;
        channel.writeAndFlush(message, channel.voidPromise());
    }

    /** Sends a request for each of {@code blocks}, in order, as one write. */
    public void sendRequests(List<BlockRequest> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        sentSinceTick = true;
        ByteBuf out = channel.alloc().buffer(blocks.size() * PeerWireCodec.REQUEST_FRAME_LENGTH);
        for (BlockRequest b : blocks) {
            PeerWireCodec.writeRequest(out, b.pieceIndex(), b.begin(), b.lengthBytes());
        }
        channel.writeAndFlush(out, channel.voidPromise());
    }

    /** Sends a piece message already read into {@code headerAndBlock} (released by Netty once written). */
    public void sendBlock(ByteBuf headerAndBlock) {
        sentSinceTick = true;
        channel.writeAndFlush(headerAndBlock, channel.voidPromise());
    }

    /** Sends a piece message whose block is sent straight from the files (sendfile, no heap copy). */
    public void sendBlock(int pieceIndex, int begin, List<FileSlice> slices) {
        sentSinceTick = true;
        int length = 0;
        for (FileSlice s : slices) {
            length += s.lengthBytes();
        }
        ByteBuf header = channel.alloc().ioBuffer(PeerWireCodec.PIECE_HEADER_LENGTH);
        channel.write(PeerWireCodec.writePieceHeader(header, pieceIndex, begin, length), channel.voidPromise());
        for (FileSlice s : slices) {
            channel.write(new SharedFileRegion(s), channel.voidPromise());
        }
        channel.flush();
    }

    /** A buffer to read a block into, already holding the piece message header. */
    public ByteBuf newBlockBuffer(int pieceIndex, int begin, int lengthBytes) {
        ByteBuf buf = channel.alloc().ioBuffer(PeerWireCodec.PIECE_HEADER_LENGTH + lengthBytes);
        return PeerWireCodec.writePieceHeader(buf, pieceIndex, begin, lengthBytes);
    }

    /** Closes this connection for an ordinary reason (logged at debug). */
    public void disconnect(String reason) {
        log.debug("disconnecting peer {}: {}", channel == null ? "?" : channel.remoteAddress(), reason);
        if (channel != null) {
            channel.close();
        }
    }

    /** Closes this connection because the peer misbehaved, logging why. */
    public void close(String reason) {
        log.warn("closing peer {}: {}", channel == null ? "?" : channel.remoteAddress(), reason);
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        opened.set(true);
        long tick = PeerChannelInitializer.WRITE_IDLE_SECONDS / 2; // so at most WRITE_IDLE_SECONDS pass unsent
        keepAlive = ctx.executor().scheduleAtFixedRate(this::keepAliveTick, tick, tick, TimeUnit.SECONDS);
        if (!torrent.onOpen(this)) {
            opened.set(false);
            ctx.close();
        }
    }

    /** BEP 3: a keep-alive when nothing was sent since the previous tick, so the peer does not drop us. */
    private void keepAliveTick() {
        if (!sentSinceTick && channel.isActive()) {
            send(KEEP_ALIVE);
        }
        sentSinceTick = false;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        keepAlive.cancel(false);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, PeerMessage msg) {
        if (opened.get()) {
            torrent.onMessage(this, msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().isWritable() && opened.get()) {
            torrent.onWritable(this);
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        keepAlive.cancel(false);
        if (opened.getAndSet(false)) {
            torrent.onClose(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) { // the idle handler watches reads only
            close("silent for " + PeerChannelInitializer.READ_IDLE_SECONDS + " s");
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (reason instanceof PeerProtocolException || reason instanceof DecoderException) {
            close("protocol error: " + reason.getMessage());
        } else if (reason instanceof IOException) {
            log.debug("peer {} I/O error: {}", ctx.channel().remoteAddress(), reason.getMessage());
            ctx.close();
        } else {
            log.error("closing peer {} after unexpected error", ctx.channel().remoteAddress(), reason);
            ctx.close();
        }
    }

    @Override
    public String toString() {
        return "PeerConnection[" + (channel == null ? "?" : channel.remoteAddress()) + "]";
    }
}
