package io.kadtorrent.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes the control API's whole responses, each with the headers every answer carries (no caching, no sniffing,
 * no framing), keeping the connection open when the request asked to.
 */
final class ApiResponses {

    private final ObjectMapper json;

    ApiResponses(ObjectMapper json) {
        this.json = json;
    }

    void redirect(ChannelHandlerContext ctx, FullHttpRequest req, String location, String cookie) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SEE_OTHER);
        res.headers().set(HttpHeaderNames.LOCATION, location);
        if (cookie != null) {
            res.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
        }
        finish(ctx, req, res);
    }

    /** {@code {"error": message}} with {@code status}. */
    void sendError(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("error", message == null ? status.reasonPhrase() : message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal\"}".getBytes(StandardCharsets.US_ASCII);
        }
        send(ctx, req, status, "application/json", body);
    }

    /** {@code body} as JSON, or an error when it does not encode. */
    void sendJson(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, Object body) {
        try {
            send(ctx, req, status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            sendError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getOriginalMessage());
        }
    }

    void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type, byte[] body) {
        finish(ctx, req, response(status, type, body));
    }

    static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY");
        return res;
    }

    static void finish(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setContentLength(res, res.content().readableBytes());
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        var written = ctx.writeAndFlush(res);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
