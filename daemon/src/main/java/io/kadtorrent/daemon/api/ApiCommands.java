package io.kadtorrent.daemon.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.Daemon.AddRequest;
import io.kadtorrent.daemon.KeptPointer;
import io.kadtorrent.daemon.SeedingPolicy;
import io.kadtorrent.daemon.TorrentIds;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Answers one authorised request under {@code /api/v1/} (or {@code /metrics}) by calling the daemon, on an API
 * worker thread; bad input maps to 400, an unknown torrent to 404.
 */
final class ApiCommands {

    private static final Logger log = LoggerFactory.getLogger(ApiCommands.class);
    static final String API = "/api/v1/";

    private final Daemon daemon;
    private final Supplier<ApiSecurity> security;
    private final ObjectMapper json;
    private final ListJson listJson;
    private final ApiResponses responses;

    ApiCommands(Daemon daemon, Supplier<ApiSecurity> security, ListJson listJson, ApiResponses responses) {
        this.daemon = daemon;
        this.security = security;
        this.json = daemon.json();
        this.listJson = listJson;
        this.responses = responses;
    }

    /** The body of {@code POST .../sequential}. */
    record SequentialRequest(boolean sequential) {
    }

    /** The body of {@code POST .../limits}: bytes per second, 0 for no limit, absent to keep the current one. */
    record LimitsRequest(@JsonProperty("upload_bytes_per_second") Long upload,
                         @JsonProperty("download_bytes_per_second") Long download) {
    }

    /** The body of {@code POST /torrents/{id}/files}: give {@code files} (indices) or {@code globs}, or both. */
    record FilesRequest(String priority, List<Integer> files, List<String> globs) {
    }

    /** Runs on a worker. */
    void answer(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        HttpResponseStatus status = HttpResponseStatus.OK;
        Object body;
        try {
            String path = uri.path();
            HttpMethod m = req.method();
            if (path.equals("/metrics")) {
                requireMethod(m, HttpMethod.GET);
                String text = Metrics.render(daemon.list(), daemon.sessionView());
                responses.send(ctx, req, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                        text.getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!path.startsWith(API)) {
                throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
            }
            String[] parts = path.substring(API.length()).split("/", -1);
            if (parts.length == 1 && parts[0].equals("torrents") && m != HttpMethod.POST) {
                requireMethod(m, HttpMethod.GET);
                responses.send(ctx, req, status, "application/json", listJson.encode(daemon.list()));
                return;
            }
            if (parts.length == 1 && parts[0].equals("torrents")) {
                Daemon.AddResult added = daemon.add(readBody(req, AddRequest.class));
                status = added.existed() ? HttpResponseStatus.OK : HttpResponseStatus.CREATED;
                body = added;
            } else if (parts.length >= 2 && parts[0].equals("torrents") && !parts[1].isEmpty()) {
                body = torrentCommand(m, parts, uri, req);
            } else {
                body = sessionCommand(m, parts, req, path);
            }
        } catch (ApiException e) {
            responses.sendError(ctx, req, e.status, e.getMessage());
            return;
        } catch (TorrentIds.NoSuchTorrentException e) {
            responses.sendError(ctx, req, HttpResponseStatus.NOT_FOUND, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            responses.sendError(ctx, req, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            log.warn("{} {} failed: {}", req.method(), uri.path(), e.toString());
            responses.sendError(ctx, req, HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
            return;
        }
        responses.sendJson(ctx, req, status, body);
    }

    /** {@code session}, {@code session/policy}, {@code session/limits} and {@code dht/pointers}. */
    private Object sessionCommand(HttpMethod m, String[] parts, FullHttpRequest req, String path) throws IOException {
        if (parts.length == 1 && parts[0].equals("session")) {
            requireMethod(m, HttpMethod.GET);
            return daemon.sessionView();
        } else if (parts.length == 2 && parts[0].equals("session") && parts[1].equals("policy")) {
            if (m == HttpMethod.POST) {
                return daemon.setPolicy(readBody(req, SeedingPolicy.class));
            }
            requireMethod(m, HttpMethod.GET);
            return daemon.policy();
        } else if (parts.length == 2 && parts[0].equals("session") && parts[1].equals("limits")) {
            requireMethod(m, HttpMethod.POST);
            LimitsRequest r = readBody(req, LimitsRequest.class);
            return daemon.setSessionLimits(r.upload(), r.download());
        } else if (parts.length == 2 && parts[0].equals("dht") && parts[1].equals("pointers")) {
            if (m == HttpMethod.POST) {
                return daemon.keepPointer(readBody(req, KeptPointer.class));
            }
            requireMethod(m, HttpMethod.GET);
            return daemon.keptPointers();
        }
        throw new ApiException(HttpResponseStatus.NOT_FOUND, "no such endpoint: " + path);
    }

    /** {@code torrents/{id}} and {@code torrents/{id}/<command>}. */
    private Object torrentCommand(HttpMethod m, String[] parts, QueryStringDecoder uri, FullHttpRequest req)
            throws IOException {
        String id = parts[1];
        if (parts.length == 2) {
            if (m == HttpMethod.DELETE) {
                String delete = ApiHandler.first(uri, "delete_data");
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
                    return streamInfo(id, ApiHandler.first(uri, "file"), req);
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

    /** Where a player streams file {@code file} of torrent {@code id} from: its URL and its torrent's playlist. */
    private Map<String, Object> streamInfo(String id, String file, FullHttpRequest req) throws IOException {
        Daemon.StreamSource src = daemon.streamSource(id, daemon.findFile(id, file));
        String base = "http://" + req.headers().get(HttpHeaderNames.HOST);
        String key = security.get().streamKey(src.infoHash());
        var f = src.metainfo().files().get(src.fileIndex());
        return Map.of("url", StreamRoute.streamUrl(base, src.infoHash(), src.fileIndex(), key),
                "playlist", base + StreamRoute.STREAM + src.infoHash() + ".m3u?key=" + key,
                "index", src.fileIndex(),
                "path", src.metainfo().isSingleFile() ? src.metainfo().name() : f.displayPath(),
                "size_bytes", f.lengthBytes());
    }

    private static void requireMethod(HttpMethod actual, HttpMethod wanted) {
        if (!actual.equals(wanted)) {
            throw new ApiException(HttpResponseStatus.METHOD_NOT_ALLOWED, "use " + wanted + " here");
        }
    }

    private <T> T readBody(FullHttpRequest req, Class<T> type) {
        ByteBuf content = req.content();
        if (!content.isReadable()) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "a JSON body is needed");
        }
        try (InputStream in = new ByteBufInputStream(content.duplicate())) {
            return json.readValue(in, type);
        } catch (JsonProcessingException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "bad JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ApiException(HttpResponseStatus.BAD_REQUEST, "cannot read the body: " + e.getMessage());
        }
    }
}
