package io.kadtorrent.metadata.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Splits the stream into {@code <4-byte big-endian length><body>} frames, refusing a length
 * above the cap as soon as the prefix is read (fail fast, nothing allocated), and closing the
 * connection when a started frame is not complete within the frame timeout: a slowloris
 * client trickling bytes never holds a connection for long. One per channel.
 */
final class MetadataFrameDecoder extends LengthFieldBasedFrameDecoder {

    private static final Logger log = LoggerFactory.getLogger(MetadataFrameDecoder.class);
    /** Shared by all connections: a slowloris flood logs one line per address per minute. */
    private static final WarningThrottle WARNINGS = new WarningThrottle();

    private final long frameTimeoutNanos;
    private ScheduledFuture<?> deadline;

    MetadataFrameDecoder(int maxFrameBytes, Duration frameTimeout) {
        // length field at 0, 4 bytes, strip it; maxFrameLength counts the prefix too
        super(maxFrameBytes + 4, 0, 4, 0, 4, true);
        this.frameTimeoutNanos = frameTimeout.toNanos();
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        Object frame = super.decode(ctx, in);
        if (frame != null) {
            cancelDeadline();
        }
        if (in.isReadable() && deadline == null) {
            deadline = ctx.executor().schedule(() -> tooSlow(ctx), frameTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        return frame;
    }

    private void tooSlow(ChannelHandlerContext ctx) {
        if (WARNINGS.shouldWarn(ctx.channel().remoteAddress())) {
            log.warn("closing {}: frame not complete within {} ms", ctx.channel().remoteAddress(),
                    TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos));
        }
        ctx.close();
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelDeadline();
        super.channelInactive(ctx);
    }
}
