package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataRequestCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * The client pipeline, head to tail:
 * <pre>
 *   frames   LengthFieldBasedFrameDecoder  responses up to maxFrameBytes
 *   prepend  LengthFieldPrepender          outbound: length prefix
 *   requests RequestEncoder                outbound: request record -&gt; frame body (shared)
 *   pending  PendingRequests               match responses to waiting futures by id
 * </pre>
 */
final class MetadataClientChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String FRAMES = "frames";
    static final String PREPEND = "prepend";
    static final String REQUESTS = "requests";
    static final String PENDING = "pending";

    private final int maxFrameBytes;
    private final PendingRequests pending;

    MetadataClientChannelInitializer(int maxFrameBytes, PendingRequests pending) {
        this.maxFrameBytes = maxFrameBytes;
        this.pending = pending;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(FRAMES, new LengthFieldBasedFrameDecoder(maxFrameBytes + 4, 0, 4, 0, 4, true))
                .addLast(PREPEND, new LengthFieldPrepender(4))
                .addLast(REQUESTS, RequestEncoder.INSTANCE)
                .addLast(PENDING, pending);
    }

    /** Request record to frame body. */
    @ChannelHandler.Sharable
    static final class RequestEncoder extends MessageToMessageEncoder<MetadataRequest> {
        static final RequestEncoder INSTANCE = new RequestEncoder();

        @Override
        protected void encode(ChannelHandlerContext ctx, MetadataRequest request, List<Object> out) {
            ByteBuf body = Unpooled.wrappedBuffer(MetadataRequestCodec.encode(request));
            out.add(body);
        }
    }
}
