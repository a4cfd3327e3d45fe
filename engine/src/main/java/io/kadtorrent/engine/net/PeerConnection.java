package io.kadtorrent.engine.net;

import io.kadtorrent.engine.swarm.PeerLink;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.engine.wire.PeerMessage;
import io.kadtorrent.engine.wire.PeerProtocolException;
import io.kadtorrent.engine.wire.PeerWireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One live peer connection after the handshake: hands each decoded message up to its torrent (which
 * queues it for the swarm core) and offers the runtime ways to send. It decides nothing itself but
 * the BEP 3 keep-alive. Any protocol error closes only this connection, with the reason logged.
 */
public final class PeerConnection extends ChannelInboundHandlerAdapter implements PeerLink {

    private static final Logger log = LoggerFactory.getLogger(PeerConnection.class);
    private static final PeerMessage KEEP_ALIVE = new PeerMessage.KeepAlive();

    private final PeerTorrent torrent;
    private final Handshake remote;
    private final boolean outgoing;
    private volatile Channel channel;
    private volatile InetSocketAddress remoteAddress;
    /** Set by every send, cleared by the keep-alive timer: a plain flag costs less than timing each write. */
    private volatile boolean sentSinceTick;
    private ScheduledFuture<?> keepAlive;
    private boolean open;
    private volatile boolean encrypted;

    PeerConnection(PeerTorrent torrent, Handshake remote, boolean outgoing) {
        this.torrent = torrent;
        this.remote = remote;
        this.outgoing = outgoing;
    }

    /** The peer's handshake (its peer_id and reserved bits). */
    public Handshake remote() {
        return remote;
    }

    /** True when we dialled the peer. */
    public boolean isOutgoing() {
        return outgoing;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    /**
     * True when the stream is RC4-encrypted (MSE): every byte must pass through the cipher, so blocks go
     * out through buffers, never as {@link FileRegion}s (sendfile).
     */
    @Override
    public boolean isEncrypted() {
        return encrypted;
    }

    /** True on this connection's own event loop, where writes need no hand-over. */
    public boolean inEventLoop() {
        return channel.eventLoop().inEventLoop();
    }

    /**
     * Runs {@code task} on this connection's event loop (several sends at once, one hand-over); a task
     * after the loop has shut down is dropped with the connection.
     */
    public void execute(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            log.debug("peer {}: loop already shut down, {} dropped", remoteAddress, task);
        }
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

    /**
     * Sends a piece message already read into {@code headerAndBlock} (released by Netty once written);
     * {@code onSent}, when not null, runs on this connection's event loop once it left our buffers.
     */
    public void sendBlock(ByteBuf headerAndBlock, Runnable onSent) {
        sentSinceTick = true;
        if (onSent == null) {
            channel.writeAndFlush(headerAndBlock, channel.voidPromise());
        } else {
            channel.writeAndFlush(headerAndBlock).addListener(done(onSent));
        }
    }

    /**
     * Sends a piece message whose block goes straight from the files ({@code regions}, sendfile, no heap
     * copy); {@code onSent} as for {@link #sendBlock(ByteBuf, Runnable)}.
     */
    public void sendBlock(int pieceIndex, int begin, int lengthBytes, List<? extends FileRegion> regions,
                          Runnable onSent) {
        sentSinceTick = true;
        ByteBuf header = channel.alloc().ioBuffer(PeerWireCodec.PIECE_HEADER_LENGTH);
        channel.write(PeerWireCodec.writePieceHeader(header, pieceIndex, begin, lengthBytes), channel.voidPromise());
        for (int i = 0; i < regions.size(); i++) {
            if (i == regions.size() - 1 && onSent != null) {
                channel.write(regions.get(i)).addListener(done(onSent));
            } else {
                channel.write(regions.get(i), channel.voidPromise());
            }
        }
        channel.flush();
    }

    private static ChannelFutureListener done(Runnable onSent) {
        return f -> onSent.run(); // also when the write failed: the close that follows is reported anyway
    }

    /** A buffer to read a block into, already holding the piece message header. */
    public ByteBuf newBlockBuffer(int pieceIndex, int begin, int lengthBytes) {
        ByteBuf buf = channel.alloc().ioBuffer(PeerWireCodec.PIECE_HEADER_LENGTH + lengthBytes);
        return PeerWireCodec.writePieceHeader(buf, pieceIndex, begin, lengthBytes);
    }

    /** Closes this connection; {@code misbehaved} logs the reason as a warning (the peer's fault). */
    public void close(String reason, boolean misbehaved) {
        if (misbehaved) {
            log.warn("closing peer {}: {}", remoteAddress, reason);
        } else {
            log.debug("closing peer {}: {}", remoteAddress, reason);
        }
        channel.close();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remoteAddress = channel.remoteAddress() instanceof InetSocketAddress a ? a : null; // null in EmbeddedChannel tests
        encrypted = ctx.pipeline().get(PeerChannelInitializer.RC4) != null;
        open = true;
        long tick = PeerChannelInitializer.WRITE_IDLE_SECONDS / 2; // so at most WRITE_IDLE_SECONDS pass unsent
        keepAlive = ctx.executor().scheduleAtFixedRate(this::keepAliveTick, tick, tick, TimeUnit.SECONDS);
        torrent.connected(this);
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
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (open && msg instanceof PeerMessage m) {
            torrent.received(this, m);
        } else if (msg instanceof PeerMessage.Piece p) {
            p.release();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        keepAlive.cancel(false);
        if (open) {
            open = false;
            torrent.closed(this);
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) { // the idle handler watches reads only
            close("silent for " + PeerChannelInitializer.READ_IDLE_SECONDS + " s", true);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (reason instanceof PeerProtocolException || reason instanceof DecoderException) {
            close("protocol error: " + reason.getMessage(), true);
        } else if (reason instanceof IOException) {
            log.debug("peer {} I/O error: {}", remoteAddress, reason.getMessage());
            ctx.close();
        } else {
            log.error("closing peer {} after unexpected error", remoteAddress, reason);
            ctx.close();
        }
    }

    @Override
    public String toString() {
        return "PeerConnection[" + remoteAddress + "]";
    }
}
