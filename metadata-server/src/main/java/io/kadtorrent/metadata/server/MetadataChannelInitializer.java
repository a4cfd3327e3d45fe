package io.kadtorrent.metadata.server;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * The whole server pipeline, head to tail:
 * <pre>
 *   limit    ConnectionLimiter         refuse connections over the caps      (shared)
 *   idle     IdleStateHandler          fire an event after idleTimeout        (per channel)
 *   frames   MetadataFrameDecoder      length-prefixed frames, size cap, frame deadline
 *   prepend  LengthFieldPrepender      outbound: prefix each response with its length
 *   messages MetadataMessageCodec      frame body &lt;-&gt; request/response records (shared)
 *   rate     AddressRateLimiter        requests per second per address        (shared)
 *   handler  MetadataRequestHandler    answer, publish off the event loop     (shared)
 * </pre>
 */
final class MetadataChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String LIMIT = "limit";
    static final String IDLE = "idle";
    static final String FRAMES = "frames";
    static final String PREPEND = "prepend";
    static final String MESSAGES = "messages";
    static final String RATE = "rate";
    static final String HANDLER = "handler";

    private final MetadataServerConfig config;
    private final ConnectionLimiter connectionLimiter;
    private final AddressRateLimiter rateLimiter;
    private final MetadataRequestHandler handler;

    MetadataChannelInitializer(MetadataServerConfig config, ConnectionLimiter connectionLimiter,
                               AddressRateLimiter rateLimiter, MetadataRequestHandler handler) {
        this.config = config;
        this.connectionLimiter = connectionLimiter;
        this.rateLimiter = rateLimiter;
        this.handler = handler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast(LIMIT, connectionLimiter);
        p.addLast(IDLE, new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        p.addLast(FRAMES, new MetadataFrameDecoder(config.maxFrameBytes(), config.frameTimeout()));
        p.addLast(PREPEND, new LengthFieldPrepender(4));
        p.addLast(MESSAGES, MetadataMessageCodec.INSTANCE);
        p.addLast(RATE, rateLimiter);
        p.addLast(HANDLER, handler);
    }
}
