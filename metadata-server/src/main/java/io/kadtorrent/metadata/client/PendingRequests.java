package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.protocol.MetadataProtocolException;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.MetadataResponseCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client end of one connection: the futures of requests in flight, keyed by request id,
 * completed as response frames arrive (in any order). A server error without a request id
 * (busy, frame too large), a garbled frame or the connection closing fails them all.
 */
final class PendingRequests extends SimpleChannelInboundHandler<ByteBuf> {

    private static final Logger log = LoggerFactory.getLogger(PendingRequests.class);

    private final Map<Long, CompletableFuture<MetadataResponse>> pending = new ConcurrentHashMap<>();

    CompletableFuture<MetadataResponse> register(long id) {
        CompletableFuture<MetadataResponse> f = new CompletableFuture<>();
        pending.put(id, f);
        f.whenComplete((r, e) -> pending.remove(id));
        return f;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
        MetadataResponse response;
        try {
            response = MetadataResponseCodec.decode(ByteBufUtil.getBytes(frame));
        } catch (MetadataProtocolException e) {
            failAll(new MetadataClientException("server sent a malformed response: " + e.getMessage()));
            ctx.close();
            return;
        }
        CompletableFuture<MetadataResponse> f = pending.get(response.id());
        if (f != null) {
            f.complete(response);
        } else if (response instanceof MetadataResponse.Failure failure) {
            // id 0 and nobody waiting for it: a connection-level error (busy, frame too large).
            failAll(new MetadataClientException(failure.message(), failure.code(), null));
        } else {
            log.debug("dropping response to unknown request id {}", response.id());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        failAll(new MetadataClientException("connection closed by the metadata server"));
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failAll(new MetadataClientException("connection to the metadata server failed: " + cause.getMessage(), null, cause));
        ctx.close();
    }

    void failAll(Throwable cause) {
        pending.values().forEach(f -> f.completeExceptionally(cause));
    }
}
