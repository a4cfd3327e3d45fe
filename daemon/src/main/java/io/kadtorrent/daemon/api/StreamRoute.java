package io.kadtorrent.daemon.api;

import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.TorrentIds;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Serves one connection's {@code /stream/} requests: a file of a torrent, with ranges ({@link StreamResponder}),
 * or a playlist of its files.
 */
final class StreamRoute {

    static final String STREAM = "/stream/";

    private final Daemon daemon;
    private final Executor workers;
    private final ApiResponses responses;
    private volatile boolean streaming; // while a file is being streamed on this connection (idle is fine then)

    StreamRoute(Daemon daemon, Executor workers, ApiResponses responses) {
        this.daemon = daemon;
        this.workers = workers;
        this.responses = responses;
    }

    /** True while a file is being streamed on this connection. */
    boolean isStreaming() {
        return streaming;
    }

    /**
     * {@code /stream/<info_hash>/<file index>} (a file, with ranges) or {@code /stream/<info_hash>.m3u} (a
     * playlist of its files): authorised by the token as the API is, or by the torrent's stream key in
     * {@code ?key=}, which a player can carry in the URL.
     */
    void serve(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri, ApiSecurity sec, String origin) {
        String rest = uri.path().substring(STREAM.length());
        boolean playlist = rest.endsWith(".m3u");
        String[] parts = (playlist ? rest.substring(0, rest.length() - 4) : rest).split("/", -1);
        if (!parts[0].matches("[0-9a-f]{40}") || (playlist ? parts.length != 1
                : parts.length != 2 || !parts[1].matches("\\d{1,9}"))) {
            responses.sendError(ctx, req, HttpResponseStatus.NOT_FOUND,
                    "a stream is /stream/<info_hash>/<file index> or /stream/<info_hash>.m3u");
            return;
        }
        String hash = parts[0];
        if (!sec.matchesStreamKey(hash, ApiHandler.first(uri, "key"))) {
            ApiSecurity.Verdict auth = sec.checkToken(req.headers().get(HttpHeaderNames.AUTHORIZATION),
                    req.headers().get(HttpHeaderNames.COOKIE), origin, false);
            if (!auth.allowed()) {
                responses.sendError(ctx, req, HttpResponseStatus.valueOf(auth.status()), auth.reason());
                return;
            }
        }
        String range = req.headers().get(HttpHeaderNames.RANGE);
        boolean head = req.method() == HttpMethod.HEAD;
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String base = "http://" + req.headers().get(HttpHeaderNames.HOST);
        try {
            workers.execute(() -> {
                try {
                    if (playlist) {
                        Metainfo m = daemon.streamSource(hash, -1).metainfo();
                        responses.send(ctx, req, HttpResponseStatus.OK, "audio/x-mpegurl; charset=utf-8",
                                playlist(m, base, sec.streamKey(hash)).getBytes(StandardCharsets.UTF_8));
                        return;
                    }
                    Daemon.StreamSource src = daemon.streamSource(hash, Integer.parseInt(parts[1]));
                    ctx.executor().execute(() -> {
                        streaming = true;
                        StreamResponder.start(ctx, src, range, head, keepAlive, () -> streaming = false);
                    });
                } catch (TorrentIds.NoSuchTorrentException e) {
                    responses.sendError(ctx, req, HttpResponseStatus.NOT_FOUND, e.getMessage());
                } catch (IllegalArgumentException e) {
                    responses.sendError(ctx, req, HttpResponseStatus.CONFLICT, e.getMessage());
                } catch (IOException e) { // a sleeping torrent could not start
                    responses.sendError(ctx, req, HttpResponseStatus.CONFLICT, e.getMessage());
                }
            });
        } catch (RejectedExecutionException busy) {
            responses.sendError(ctx, req, HttpResponseStatus.SERVICE_UNAVAILABLE, "busy; try again");
        }
    }

    /** An M3U playlist of the torrent's files, each URL carrying the stream key. */
    static String playlist(Metainfo m, String base, String key) {
        StringBuilder out = new StringBuilder("#EXTM3U\n");
        for (int i = 0; i < m.files().size(); i++) {
            FileEntry f = m.files().get(i);
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
}
