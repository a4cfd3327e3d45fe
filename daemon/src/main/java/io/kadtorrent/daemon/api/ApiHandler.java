package io.kadtorrent.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.Views.TorrentView;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Routes one HTTP request of the control API (documented in {@code docs/api.md}). The security checks run
 * first, on the event loop; a command then runs on a worker ({@link ApiCommands}), a stream on its own route
 * ({@link StreamRoute}); the web UI's files and the event stream are served here.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final Pattern UI_FILE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "txt", "text/plain; charset=utf-8");

    private final Daemon daemon;
    private final Supplier<ApiSecurity> security;
    private final Executor workers;
    private final ListJson listJson;
    private final ApiResponses responses;
    private final ApiCommands commands;
    private final StreamRoute streams;
    private Runnable unsubscribe; // set while this connection streams events

    ApiHandler(Daemon daemon, Supplier<ApiSecurity> security, Executor workers, ListJson listJson) {
        this.daemon = daemon;
        this.security = security;
        this.workers = workers;
        this.listJson = listJson;
        this.responses = new ApiResponses(daemon.json());
        this.commands = new ApiCommands(daemon, security, listJson, responses);
        this.streams = new StreamRoute(daemon, workers, responses);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (unsubscribe != null) {
            return; // an event stream takes no more requests
        }
        if (!req.decoderResult().isSuccess()) {
            responses.sendError(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed request");
            return;
        }
        ApiSecurity sec = security.get();
        if (sec == null) {
            responses.sendError(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "starting");
            return;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        ApiSecurity.Verdict site = sec.checkSite(host, origin);
        if (!site.allowed()) {
            responses.sendError(ctx, req, HttpResponseStatus.valueOf(site.status()), site.reason());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path;
        try {
            path = uri.path();
            uri.parameters(); // decoded now, so a bad %-escape is answered here rather than dropping the connection
        } catch (IllegalArgumentException badEscape) {
            responses.sendError(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed request target");
            return;
        }
        if (req.method() == HttpMethod.GET && (path.equals("/") || path.equals("/ui"))) {
            responses.redirect(ctx, req, "/ui/", null);
        } else if (req.method() == HttpMethod.GET && path.equals("/login")) {
            login(ctx, req, sec, first(uri, "token"));
        } else if (req.method() == HttpMethod.GET && path.startsWith("/ui/")) {
            serveUi(ctx, req, path.substring("/ui/".length()));
        } else if ((req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD)
                && path.startsWith(StreamRoute.STREAM)) {
            streams.serve(ctx, req, uri, sec, origin);
        } else {
            authorised(ctx, req, uri, sec, origin);
        }
    }

    /** The token in a URL, once, for a cookie: the web UI's way in. */
    private void login(ChannelHandlerContext ctx, FullHttpRequest req, ApiSecurity sec, String token) {
        if (!sec.matches(token)) {
            responses.sendError(ctx, req, HttpResponseStatus.UNAUTHORIZED, "wrong token");
            return;
        }
        responses.redirect(ctx, req, "/ui/", sec.cookieFor(token));
    }

    /** A request of the API proper: the token checked, then the event stream here or a command on a worker. */
    private void authorised(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, ApiSecurity sec,
                            String origin) {
        boolean changes = req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD;
        ApiSecurity.Verdict auth = sec.checkToken(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.headers().get(HttpHeaderNames.COOKIE), origin, changes);
        if (!auth.allowed()) {
            responses.sendError(ctx, req, HttpResponseStatus.valueOf(auth.status()), auth.reason());
            return;
        }
        if (req.method() == HttpMethod.GET && uri.path().equals(ApiCommands.API + "events")) {
            startEvents(ctx);
            return;
        }
        FullHttpRequest held = req.retainedDuplicate();
        try {
            workers.execute(() -> {
                try {
                    commands.answer(ctx, held, uri);
                } finally {
                    held.release();
                }
            });
        } catch (RejectedExecutionException busy) {
            held.release();
            responses.sendError(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy; try again");
        }
    }

    /** The first value of query parameter {@code name}, or null. */
    static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    // ---- server-sent events ----

    private void startEvents(ChannelHandlerContext ctx) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        ctx.writeAndFlush(res);
        unsubscribe = daemon.subscribe(list -> ctx.executor().execute(() -> pushEvent(ctx, list)));
        ctx.channel().closeFuture().addListener(f -> unsubscribe.run());
        pushEvent(ctx, daemon.list());
    }

    /** One {@code torrents} event; skipped while the client does not keep up, so memory stays bounded. */
    private void pushEvent(ChannelHandlerContext ctx, List<TorrentView> list) {
        if (!ctx.channel().isActive() || !ctx.channel().isWritable()) {
            return;
        }
        try {
            byte[] data = listJson.encode(list);
            ByteBuf buf = ctx.alloc().buffer(data.length + 32);
            buf.writeCharSequence("event: torrents\ndata: ", StandardCharsets.US_ASCII);
            buf.writeBytes(data);
            buf.writeCharSequence("\n\n", StandardCharsets.US_ASCII);
            ctx.writeAndFlush(new DefaultHttpContent(buf));
        } catch (JsonProcessingException e) {
            log.warn("cannot encode an event: {}", e.getOriginalMessage());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent && unsubscribe == null && !streams.isStreaming()) {
            ctx.close(); // an idle keep-alive connection; event streams stay open
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    // ---- static files of the web UI ----

    private void serveUi(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
        String file = name.isEmpty() ? "index.html" : name;
        if (!UI_FILE.matcher(file).matches()) {
            responses.sendError(ctx, req, HttpResponseStatus.NOT_FOUND, "no such file");
            return;
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        try (InputStream in = ApiHandler.class.getResourceAsStream("/io/kadtorrent/daemon/ui/" + file)) {
            if (in == null || type == null) {
                responses.sendError(ctx, req, HttpResponseStatus.NOT_FOUND, "no such file");
                return;
            }
            FullHttpResponse res = ApiResponses.response(HttpResponseStatus.OK, type, in.readAllBytes());
            // the page needs nothing from elsewhere and no inline script or style
            res.headers().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            ApiResponses.finish(ctx, req, res);
        } catch (IOException e) {
            responses.sendError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("API connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
