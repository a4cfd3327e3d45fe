package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The end of the server pipeline: hands each request to the {@link MetadataResponder}
 * (publishes and unpublishes on the blocking executor, so disk I/O never stalls an event loop) and writes the
 * answer; closes idle connections and connections that broke the framing. Responses to
 * pipelined requests may come back out of order; their ids say which is which.
 */
@ChannelHandler.Sharable
final class MetadataRequestHandler extends SimpleChannelInboundHandler<MetadataRequest> {

    private static final Logger log = LoggerFactory.getLogger(MetadataRequestHandler.class);

    private final MetadataResponder responder;
    private final Executor publishExecutor;
    private final WarningThrottle warnings = new WarningThrottle();

    MetadataRequestHandler(MetadataResponder responder, Executor publishExecutor) {
        this.responder = responder;
        this.publishExecutor = publishExecutor;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MetadataRequest request) {
        if (request instanceof MetadataRequest.Publish p) {
            onDiskThread(ctx, p, () -> responder.publish(p));
            return;
        }
        if (request instanceof MetadataRequest.Unpublish u) {
            onDiskThread(ctx, u, () -> responder.unpublish(u));
            return;
        }
        ctx.write(responder.answer(request, serverAddress(ctx)));
    }

    /** Runs a request that writes to the catalog on the publish executor and sends its answer. */
    private void onDiskThread(ChannelHandlerContext ctx, MetadataRequest request, Supplier<MetadataResponse> work) {
        try {
            publishExecutor.execute(() -> ctx.writeAndFlush(work.get()));
        } catch (RejectedExecutionException e) {
            // The publish queue is bounded: each queued publish may hold a frame of several MiB.
            ctx.writeAndFlush(new MetadataResponse.Failure(request.id(), ErrorCode.BUSY,
                    "too many publishes in progress; retry later"));
        }
    }

    /** The local address the client reached; loopback for channels that have none (embedded). */
    private static InetAddress serverAddress(ChannelHandlerContext ctx) {
        return ctx.channel().localAddress() instanceof InetSocketAddress a
                ? a.getAddress() : InetAddress.getLoopbackAddress();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush(); // one flush per read batch: pipelined requests share a syscall
        if (!ctx.channel().isWritable()) {
            // The client is not reading its answers: stop reading its requests until it does.
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            log.debug("closing idle connection {}", ctx.channel().remoteAddress());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            if (warnings.shouldWarn(ctx.channel().remoteAddress())) {
                log.warn("closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            }
            ctx.writeAndFlush(new MetadataResponse.Failure(0, ErrorCode.FRAME_TOO_LARGE,
                    "frame too large: " + cause.getMessage())).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        log.debug("closing {} after error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
