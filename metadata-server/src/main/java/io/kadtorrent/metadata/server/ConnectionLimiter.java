package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps open connections in all and per IP address, so a connection flood cannot starve the
 * clients already connected: a connection over a cap is told {@code BUSY} and closed. The
 * per-address map only holds addresses with open connections, so it is bounded by the total cap.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("kadtorrent.metadata.counted");
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf("kadtorrent.metadata.refused");

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final WarningThrottle warnings = new WarningThrottle();

    ConnectionLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    /** Open connections now. */
    int open() {
        return total.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            refuse(ctx, "server is at its cap of " + maxTotal + " connections");
            return;
        }
        int[] mine = new int[1];
        perAddress.compute(address, (a, n) -> mine[0] = (n == null ? 0 : n) + 1);
        if (mine[0] > maxPerAddress) {
            release(address);
            refuse(ctx, "too many connections from " + address.getHostAddress());
            return;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (ctx.channel().hasAttr(REFUSED)) {
            // Read and dropped, not left unread: closing with unread input would send a TCP RST
            // that can destroy the BUSY answer before the client reads it.
            ReferenceCountUtil.release(msg);
            return;
        }
        super.channelRead(ctx, msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            release(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
        }
        super.channelInactive(ctx);
    }

    private void release(InetAddress address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
        if (warnings.shouldWarn(ctx.channel().remoteAddress())) {
            log.warn("refusing {}: {}", ctx.channel().remoteAddress(), why);
        } else {
            log.debug("refusing {}: {}", ctx.channel().remoteAddress(), why);
        }
        ctx.channel().attr(REFUSED).set(Boolean.TRUE);
        // Written from the pipeline's tail so the response encoders see it.
        ctx.channel().writeAndFlush(new MetadataResponse.Failure(0, ErrorCode.BUSY, why))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
