package io.kadtorrent.daemon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.Daemon.AddRequest;
import io.kadtorrent.daemon.Views.TorrentView;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
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
 * first, on the event loop; the command itself on a worker; the answer is written back on the loop.
 */
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(ApiHandler.class);
    private static final String API = "/api/v1/";
    private static final String STREAM = "/stream/";
    private static final Pattern UI_FILE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "png", "image/png", "txt", "text/plain; charset=utf-8");

    private final Daemon daemon;
    private final Supplier<ApiSecurity> security;
    private final Executor workers;
    private final ObjectMapper json;
    private final ListJson listJson;
    private Runnable unsubscribe; // set while this connection streams events
    private volatile boolean streaming; // while a file is being streamed on this connection (idle is fine then)

    ApiHandler(Daemon daemon, Supplier<ApiSecurity> security, Executor workers, ListJson listJson) {
        this.daemon = daemon;
        this.security = security;
        this.workers = workers;
        this.json = daemon.json();
        this.listJson = listJson;
    }

    /** A failed request: the status and the message the client sees. */
    static final class ApiException extends RuntimeException {
        final HttpResponseStatus status;

        ApiException(HttpResponseStatus status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (unsubscribe != null) {
            return; // an event stream takes no more requests
        }
        if (!req.decoderResult().isSuccess()) {
            sendError(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed request");
            return;
        }
        ApiSecurity sec = security.get();
        if (sec == null) {
            sendError(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "starting");
            return;
        }
        String host = req.headers().get(HttpHeaderNames.HOST);
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        ApiSecurity.Verdict site = sec.checkSite(host, origin);
        if (!site.allowed()) {
            sendError(ctx, req, HttpResponseStatus.valueOf(site.status()), site.reason());
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path;
        try {
            path = uri.path();
            uri.parameters(); // decoded now, so a bad %-escape is answered here rather than dropping the connection
        } catch (IllegalArgumentException badEscape) {
            sendError(ctx, req, HttpResponseStatus.BAD_REQUEST, "malformed request target");
            return;
        }
        if (req.method() == HttpMethod.GET && (path.equals("/") || path.equals("/ui"))) {
            redirect(ctx, req, "/ui/", null);
            return;
        }
        if (req.method() == HttpMethod.GET && path.equals("/login")) {
            String token = first(uri, "token");
            if (!sec.matches(token)) {
                sendError(ctx, req, HttpResponseStatus.UNAUTHORIZED, "wrong token");
                return;
            }
            redirect(ctx, req, "/ui/", sec.cookieFor(token));
            return;
        }
        if (req.method() == HttpMethod.GET && path.startsWith("/ui/")) {
            serveUi(ctx, req, path.substring("/ui/".length()));
            return;
        }
        if ((req.method() == HttpMethod.GET || req.method() == HttpMethod.HEAD) && path.startsWith(STREAM)) {
            serveStream(ctx, req, uri, sec, origin);
            return;
        }
        boolean changes = req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD;
        ApiSecurity.Verdict auth = sec.checkToken(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                req.headers().get(HttpHeaderNames.COOKIE), origin, changes);
        if (!auth.allowed()) {
            sendError(ctx, req, HttpResponseStatus.valueOf(auth.status()), auth.reason());
            return;
        }
        if (req.method() == HttpMethod.GET && path.equals(API + "events")) {
            startEvents(ctx);
            return;
        }
        FullHttpRequest held = req.retainedDuplicate();
        try {
            workers.execute(() -> {
                try {
                    answer(ctx, held, uri);
                } finally {
                    held.release();
                }
            });
        } catch (RejectedExecutionException busy) {
            held.release();
            sendError(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy; try again");
        }
    }

    // ---- streams ----

    /**
     * {@code /stream/<info_hash>/<file index>} (a file, with ranges) or {@code /stream/<info_hash>.m3u} (a
     * playlist of its files): authorised by the token as the API is, or by the torrent's stream key in
     * {@code ?key=}, which a player can carry in the URL.
     */
    private void serveStream(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, ApiSecurity sec,
                             String origin) {
        String rest = uri.path().substring(STREAM.length());
        boolean playlist = rest.endsWith(".m3u");
        String[] parts = (playlist ? rest.substring(0, rest.length() - 4) : rest).split("/", -1);
        if (!parts[0].matches("[0-9a-f]{40}") || (playlist ? parts.length != 1
                : parts.length != 2 || !parts[1].matches("\\d{1,9}"))) {
            sendError(ctx, req, HttpResponseStatus.NOT_FOUND, "a stream is /stream/<info_hash>/<file index> or /stream/<info_hash>.m3u");
            return;
        }
        String hash = parts[0];
        if (!sec.matchesStreamKey(hash, first(uri, "key"))) {
            ApiSecurity.Verdict auth = sec.checkToken(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                    req.headers().get(HttpHeaderNames.COOKIE), origin, false);
            if (!auth.allowed()) {
                sendError(ctx, req, HttpResponseStatus.valueOf(auth.status()), auth.reason());
                return;
            }
        }
        String range = req.headers().get(HttpHeaderNames.RANGE);
        boolean head = req.method() == HttpMethod.HEAD;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String host = req.headers().get(HttpHeaderNames.HOST);
        try {
            workers.execute(() -> {
                try {
                    if (playlist) {
                        var m = daemon.streamSource(hash, -1).metainfo();
                        send(ctx, req, HttpResponseStatus.OK, "audio/x-mpegurl; charset=utf-8",
                                playlist(m, "http://" + host, sec.streamKey(hash)).getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    Daemon.StreamSource src = daemon.streamSource(hash, Integer.parseInt(parts[1]));
                    ctx.executor().execute(() -> {
                        streaming = true;
                        StreamResponder.start(ctx, src, range, head, keepAlive, () -> streaming = false);
                    });
                } catch (io.kadtorrent.daemon.TorrentIds.NoSuchTorrentException e) {
                    sendError(ctx, req, HttpResponseStatus.NOT_FOUND, e.getMessage());
                } catch (IllegalArgumentException e) {
                    sendError(ctx, req, HttpResponseStatus.CONFLICT, e.getMessage());
                } catch (java.io.IOException e) { // a sleeping torrent could not start
                    sendError(ctx, req, HttpResponseStatus.CONFLICT, e.getMessage());
                }
            });
        } catch (RejectedExecutionException busy) {
            sendError(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy; try again");
        }
    }

    /** An M3U playlist of the torrent's files, each URL carrying the stream key. */
    static String playlist(io.kadtorrent.torrent.metainfo.Metainfo m, String base, String key) {
        StringBuilder out = new StringBuilder("#EXTM3U\n");
        for (int i = 0; i < m.files().size(); i++) {
            var f = m.files().get(i);
            if (!f.isData() || f.lengthBytes() == 0) {
                continue;
            }
            String title = m.isSingleFile() ? m.name() : f.displayPath();
            out.append("#EXTINF:-1,").append(title.replaceAll("[\\r\\n]", " ")).append('\n')
                    .append(streamUrl(base, m.infoHash().hex(), i, key)).append('\n');
        }
        return out.toString();
    }

    static String streamUrl(String base, String hash, int fileIndex, String key) {
        return base + STREAM + hash + "/" + fileIndex + "?key=" + key;
    }

    private static String first(QueryStringDecoder uri, String name) {
        List<String> v = uri.parameters().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Runs on a worker. */
    private void answer(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        HttpResponseStatus status = HttpResponseStatus.OK;
        Object body;
        try {
            String path = uri.path();
            HttpMethod m = req.method();
            if (path.equals("/metrics")) {
                requireMethod(m, HttpMethod.GET);
                String text = Metrics.render(daemon.list(), daemon.sessionView());
                send(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                        text.getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!path.startsWith(API)) {
                throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
            }
            String[] parts = path.substring(API.length()).split("/", -1);
            if (parts.length == 1 && parts[0].equals("session")) {
                requireMethod(m, HttpMethod.GET);
                body = daemon.sessionView();
            } else if (parts.length == 2 && parts[0].equals("session") && parts[1].equals("policy")) {
                if (m == HttpMethod.POST) {
                    body = daemon.setPolicy(readBody(req, io.kadtorrent.daemon.SeedingPolicy.class));
                } else {
                    requireMethod(m, HttpMethod.GET);
                    body = daemon.policy();
                }
            } else if (parts.length == 2 && parts[0].equals("session") && parts[1].equals("limits")) {
                requireMethod(m, HttpMethod.POST);
                LimitsRequest r = readBody(req, LimitsRequest.class);
                body = daemon.setSessionLimits(r.upload(), r.download());
            } else if (parts.length == 1 && parts[0].equals("torrents")) {
                if (m == HttpMethod.POST) {
                    Daemon.AddResult added = daemon.add(readAdd(req));
                    status = added.existed() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED;
                    body = added;
                } else {
                    requireMethod(m, HttpMethod.GET);
                    send(ctx, req, status, "application/json", listJson.encode(daemon.list()));
                    return;
                }
            } else if (parts.length == 2 && parts[0].equals("dht") && parts[1].equals("pointers")) {
                if (m == HttpMethod.POST) {
                    body = daemon.keepPointer(readBody(req, io.kadtorrent.daemon.KeptPointer.class));
                } else {
                    requireMethod(m, HttpMethod.GET);
                    body = daemon.keptPointers();
                }
            } else if (parts.length >= 2 && parts[0].equals("torrents") && !parts[1].isEmpty()) {
                body = torrentCommand(m, parts, uri, req);
            } else {
                throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
            }
        } catch (ApiException e) {
            sendError(ctx, req, e.status, e.getMessage());
            return;
        } catch (io.kadtorrent.daemon.TorrentIds.NoSuchTorrentException e) {
            sendError(ctx, req, HttpResponseStatus.NOT_FOUND, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            sendError(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            log.warn("{} {} failed: {}", req.method(), uri.path(), e.toString());
            sendError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
            return;
        }
        try {
            send(ctx, req, status, "application/json", json.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            sendError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getOriginalMessage());
        }
    }

    private Object torrentCommand(HttpMethod m, String[] parts, QueryStringDecoder uri, FullHttpRequest req)
            throws IOException {
        String id = parts[1];
        if (parts.length == 2) {
            if (m == HttpMethod.DELETE) {
                String delete = first(uri, "delete_data");
                return daemon.remove(id, "true".equals(delete) || "1".equals(delete));
            }
            requireMethod(m, HttpMethod.GET);
            return daemon.details(id);
        }
        if (parts.length == 3) {
            switch (parts[2]) {
                case "peers" -> {
                    requireMethod(m, HttpMethod.GET);
                    return daemon.peers(id);
                }
                case "pause" -> {
                    requireMethod(m, HttpMethod.POST);
                    return daemon.pause(id);
                }
                case "resume" -> {
                    requireMethod(m, HttpMethod.POST);
                    return daemon.resume(id);
                }
                case "stream" -> {
                    requireMethod(m, HttpMethod.GET);
                    String file = first(uri, "file");
                    Daemon.StreamSource src = daemon.streamSource(id, daemon.findFile(id, file));
                    String base = "http://" + req.headers().get(HttpHeaderNames.HOST);
                    String key = security.get().streamKey(src.infoHash());
                    var f = src.metainfo().files().get(src.fileIndex());
                    return Map.of("url", streamUrl(base, src.infoHash(), src.fileIndex(), key),
                            "playlist", base + STREAM + src.infoHash() + ".m3u?key=" + key,
                            "index", src.fileIndex(),
                            "path", src.metainfo().isSingleFile() ? src.metainfo().name() : f.displayPath(),
                            "size_bytes", f.lengthBytes());
                }
                case "sequential" -> {
                    requireMethod(m, HttpMethod.POST);
                    SequentialRequest r = readBody(req, SequentialRequest.class);
                    return daemon.setSequential(id, r.sequential());
                }
                case "limits" -> {
                    requireMethod(m, HttpMethod.POST);
                    LimitsRequest r = readBody(req, LimitsRequest.class);
                    return daemon.setTorrentLimits(id, r.upload(), r.download());
                }
                case "files" -> {
                    requireMethod(m, HttpMethod.POST);
                    FilesRequest r = readBody(req, FilesRequest.class);
                    return daemon.setFilePriorities(id, r.priority(), r.files(), r.globs());
                }
                default -> {
                }
            }
        }
        throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such endpoint");
    }

    private static void requireMethod(HttpMethod actual, HttpMethod wanted) {
        if (!actual.equals(wanted)) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + wanted + " here");
        }
    }

    /** The body of {@code POST .../sequential}. */
    record SequentialRequest(boolean sequential) {
    }

    /** The body of {@code POST .../limits}: bytes per second, 0 for no limit, absent to keep the current one. */
    record LimitsRequest(@com.fasterxml.jackson.annotation.JsonProperty("upload_bytes_per_second") Long upload,
                         @com.fasterxml.jackson.annotation.JsonProperty("download_bytes_per_second") Long download) {
    }

    /** The body of {@code POST /torrents/{id}/files}: give {@code files} (indices) or {@code globs}, or both. */
    record FilesRequest(String priority, List<Integer> files, List<String> globs) {
    }

    private AddRequest readAdd(FullHttpRequest req) {
        return readBody(req, AddRequest.class);
    }

    private <T> T readBody(FullHttpRequest req, Class<T> type) {
        ByteBuf content = req.content();
        if (!content.isReadable()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "a JSON body is needed");
        }
        try (InputStream in = new io.netty.buffer.ByteBufInputStream(content.duplicate())) {
            return json.readValue(in, type);
        } catch (JsonProcessingException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "cannot read the body: " + e.getMessage());
        }
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
        if (evt instanceof IdleStateEvent && unsubscribe == null && !streaming) {
            ctx.close(); // an idle keep-alive connection; event streams stay open
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    // ---- static files of the web UI ----

    private void serveUi(ChannelHandlerContext ctx, FullHttpRequest req, String name) {
        String file = name.isEmpty() ? "index.html" : name;
        if (!UI_FILE.matcher(file).matches()) {
            sendError(ctx, req, HttpResponseStatus.NOT_FOUND, "no such file");
            return;
        }
        String ext = file.substring(file.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        try (InputStream in = ApiHandler.class.getResourceAsStream("/io/kadtorrent/daemon/ui/" + file)) {
            if (in == null || type == null) {
                sendError(ctx, req, HttpResponseStatus.NOT_FOUND, "no such file");
                return;
            }
            FullHttpResponse res = response(HttpResponseStatus.OK, type, in.readAllBytes());
            // the page needs nothing from elsewhere and no inline script or style
            res.headers().set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'");
            finish(ctx, req, res);
        } catch (IOException e) {
            sendError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, e.getMessage());
        }
    }

    // ---- responses ----

    private void redirect(ChannelHandlerContext ctx, FullHttpRequest req, String location, String cookie) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SEE_OTHER);
        res.headers().set(HttpHeaderNames.LOCATION, location);
        if (cookie != null) {
            res.headers().set(HttpHeaderNames.SET_COOKIE, cookie);
        }
        finish(ctx, req, res);
    }

    private void sendError(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String message) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(Map.of("error", message == null ? status.reasonPhrase() : message));
        } catch (JsonProcessingException e) {
            body = "{\"error\":\"internal\"}".getBytes(StandardCharsets.US_ASCII);
        }
        send(ctx, req, status, "application/json", body);
    }

    private void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, String type,
                      byte[] body) {
        finish(ctx, req, response(status, type, body));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String type, byte[] body) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff")
                .set("X-Frame-Options", "DENY");
        return res;
    }

    private static void finish(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse res) {
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

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("API connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
