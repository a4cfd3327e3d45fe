package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.protocol.MetadataProtocolException;
import io.kadtorrent.metadata.protocol.MetadataRequestCodec;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.MetadataResponseCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Frame body to {@link io.kadtorrent.metadata.protocol.MetadataRequest} inbound, and
 * {@link MetadataResponse} to frame body outbound. A frame that is not a bencoded dictionary
 * with an id is answered with an error and the connection closed (the client is not speaking
 * our protocol); a well-formed request with a bad field is answered and the connection kept.
 * Stateless, shared by all channels.
 */
@ChannelHandler.Sharable
final class MetadataMessageCodec extends MessageToMessageCodec<ByteBuf, MetadataResponse> {

    static final MetadataMessageCodec INSTANCE = new MetadataMessageCodec();
    private static final Logger log = LoggerFactory.getLogger(MetadataMessageCodec.class);

    private MetadataMessageCodec() {
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        byte[] bytes = ByteBufUtil.getBytes(frame); // the frame itself is released by our superclass
        try {
            out.add(MetadataRequestCodec.decode(bytes));
        } catch (MetadataProtocolException e) {
            log.debug("bad request from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            MetadataResponse.Failure failure = new MetadataResponse.Failure(e.requestId(), e.code(), e.getMessage());
            // From the tail, so the answer passes through this codec's own encoder.
            if (e.isMalformedFrame()) {
                ctx.channel().writeAndFlush(failure).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.channel().writeAndFlush(failure);
            }
        }
    }

    private static final byte[] END = {'e'};

    @Override
    protected void encode(ChannelHandlerContext ctx, MetadataResponse response, List<Object> out) {
        if (response instanceof MetadataResponse.Torrent t) {
            // The hot path: the torrent bytes go out as they are, with no copy into the frame.
            out.add(Unpooled.wrappedBuffer(Unpooled.wrappedBuffer(MetadataResponseCodec.encodeTorrentHead(t)),
                    Unpooled.wrappedBuffer(t.torrentView()), Unpooled.wrappedBuffer(END)));
            return;
        }
        out.add(Unpooled.wrappedBuffer(MetadataResponseCodec.encode(response)));
    }
}
