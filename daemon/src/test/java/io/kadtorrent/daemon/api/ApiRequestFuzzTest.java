package io.kadtorrent.daemon.api;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.DaemonConfig;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the daemon's control API as a client on the socket sees it: Netty's HTTP/1.1
 * codec with the server's caps, then {@link ApiHandler} (Host and Origin checks, token and cookie, routing,
 * the web UI's files, the commands) over a real, empty {@link Daemon}. Commands run on the calling thread.
 *
 * <p>Input: the first byte's low bit picks the mode. <b>Raw</b>: the rest is sent as it is, without the token
 * (a random one per JVM); property: no request reaches a command (the worker pool is never used), whatever
 * the headers, cookies, pipelining or smuggling. <b>Authorised</b>: the second byte picks the method, the
 * bytes up to the first newline are the request target, up to a blank line more headers, the rest the body;
 * the harness adds a valid Host and the token. Property: no request gets a 500 (an exception a command did
 * not expect). Adding torrents and the event stream are left out of this mode: an add may hash any folder
 * or dial any address the input names (the JSON of an add is fuzzed by {@code AddRequestJsonFuzzTest}).
 * In both modes no exception escapes the pipeline, and the connection is never closed without an answer.
 * Corpus: {@code ApiRequestFuzzTestInputs/request}.
 */
class ApiRequestFuzzTest {

    private static final int PORT = 6883; // what Host must name; the handler never binds it
    private static final String[] METHODS = {"GET", "HEAD", "POST", "DELETE", "PUT", "OPTIONS"};
    private static final String TOKEN = HexFormat.of().formatHex(new SecureRandom().generateSeed(32));

    private static Path dir;
    private static Daemon daemon;
    private static ApiSecurity security;

    @BeforeAll
    static void startDaemon() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("api-fuzz");
        daemon = Daemon.start(DaemonConfig.loopback(dir.resolve("state"), dir.resolve("downloads")));
        security = new ApiSecurity(TOKEN, Set.of("localhost:" + PORT, "127.0.0.1:" + PORT, "[::1]:" + PORT), PORT);
    }

    @AfterAll
    static void stopDaemon() throws IOException {
        daemon.close();
        try (var files = Files.walk(dir)) {
            files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest
    void request(byte[] input) {
        if (input.length == 0) {
            return;
        }
        boolean raw = (input[0] & 1) == 0;
        byte[] bytes = raw ? Arrays.copyOfRange(input, 1, input.length) : authorised(input);
        if (bytes == null) {
            return;
        }
        boolean[] reachedCommand = new boolean[1];
        Executor workers = raw
                ? task -> {
                    reachedCommand[0] = true;
                    throw new RejectedExecutionException("a request without the token reached a command");
                }
                : Runnable::run;
        List<HttpResponseStatus> answers = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(
                new HttpServerCodec(4096, 16 << 10, 8192),
                new ChannelOutboundHandlerAdapter() { // sees the answers before the codec turns them into bytes
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        if (msg instanceof HttpResponse r) {
                            answers.add(r.status());
                        }
                        ctx.write(msg, promise);
                    }
                },
                new HttpObjectAggregator(ApiServer.MAX_BODY_BYTES),
                new ApiHandler(daemon, () -> security, workers, new ListJson(daemon.json())));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.checkException();
            assertFalse(reachedCommand[0], "a request without the token reached a command");
            // the server hangs up only after an answer (an error, or a request that asked to close)
            assertTrue(channel.isOpen() || !answers.isEmpty(), "closed without an answer");
            assertFalse(answers.contains(HttpResponseStatus.INTERNAL_SERVER_ERROR), () -> "answers " + answers);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** The request the authorised mode sends, or null for one it leaves out. */
    private static byte[] authorised(byte[] input) {
        if (input.length < 2) {
            return null;
        }
        String method = METHODS[(input[1] & 0xFF) % METHODS.length];
        String rest = new String(input, 2, input.length - 2, StandardCharsets.ISO_8859_1);
        int eol = rest.indexOf('\n');
        String target = (eol < 0 ? rest : rest.substring(0, eol)).replaceAll("[\\x00-\\x20\\x7f-\\xff]", "");
        if (!target.startsWith("/")) {
            target = "/" + target;
        }
        String afterTarget = eol < 0 ? "" : rest.substring(eol + 1);
        int blank = afterTarget.indexOf("\n\n");
        String headers = blank < 0 ? afterTarget : afterTarget.substring(0, blank + 1);
        String body = blank < 0 ? "" : afterTarget.substring(blank + 2);
        String path;
        try {
            path = new QueryStringDecoder(target).path();
        } catch (IllegalArgumentException badEscape) {
            path = ""; // the handler refuses it before routing
        }
        if ((method.equals("POST") && path.equals("/api/v1/torrents")) || path.equals("/api/v1/events")) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = method + " " + target + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + PORT + "\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\n"
                + headers.lines().filter(h -> !h.isBlank()).map(h -> h + "\r\n").collect(Collectors.joining())
                + "Content-Length: " + body.length() + "\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }
}
