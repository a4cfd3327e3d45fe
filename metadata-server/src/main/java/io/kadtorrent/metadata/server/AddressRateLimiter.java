package io.kadtorrent.metadata.server;

import com.google.common.cache.CacheBuilder;
import com.google.common.cache.CacheLoader;
import com.google.common.cache.LoadingCache;
import com.google.common.base.Ticker;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * Lets each IP address make a bounded number of requests per second (a {@link RequestBudget}
 * per address, in a size-capped Guava cache that forgets quiet addresses); a request over the
 * budget is answered {@code RATE_LIMITED} and not executed.
 */
@ChannelHandler.Sharable
final class AddressRateLimiter extends SimpleChannelInboundHandler<MetadataRequest> {

    private static final Logger log = LoggerFactory.getLogger(AddressRateLimiter.class);
    /** An address idle this long starts again with a full bucket. */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final double requestsPerSecond;
    private final LoadingCache<InetAddress, RequestBudget> budgets;
    private final WarningThrottle warnings = new WarningThrottle();

    AddressRateLimiter(double requestsPerSecond, int burst, int maxTrackedAddresses, Ticker ticker) {
        super(false); // the request is passed on, not released (it holds no buffers anyway)
        this.requestsPerSecond = requestsPerSecond;
        this.budgets = CacheBuilder.newBuilder()
                .maximumSize(maxTrackedAddresses)
                .expireAfterAccess(FORGET_AFTER)
                .ticker(ticker)
                .build(CacheLoader.from(a -> new RequestBudget(requestsPerSecond, burst, ticker)));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, MetadataRequest request) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (budgets.getUnchecked(address).tryTake()) {
            ctx.fireChannelRead(request);
            return;
        }
        if (warnings.shouldWarn(ctx.channel().remoteAddress())) {
            log.warn("rate-limiting {} ({} requests/s)", address.getHostAddress(), requestsPerSecond);
        } else {
            log.debug("rate-limiting {}", address.getHostAddress());
        }
        ctx.writeAndFlush(new MetadataResponse.Failure(request.id(), ErrorCode.RATE_LIMITED,
                "too many requests; at most " + requestsPerSecond + " per second per address"));
    }
}
