package io.kadtorrent.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code kadtorrent daemon} as a real process (the test JVM's own classpath), on loopback with ephemeral
 * ports and no DHT, so a test can {@code kill -9} it; with a small client for its API.
 */
final class DaemonProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final int peerPort;

    private DaemonProcess(Process process, String http, int peerPort, String token) {
        this.process = process;
        this.base = "http://" + http;
        this.peerPort = peerPort;
        this.token = token;
    }

    /** Starts a daemon on loopback, ephemeral ports, no DHT, downloading to {@code downloads}. */
    static DaemonProcess start(Path state, Path downloads) throws IOException {
        return start(state, List.of("--download-dir", downloads.toString(), "--bind", "127.0.0.1", "--http-bind",
                "127.0.0.1", "--port", "0", "--dht-port", "-1", "--http-port", "0"));
    }

    /** As {@link #start(Path, Path)}, with a DHT node on 127.0.0.1 (no bootstrap), so it keeps a DHT state file. */
    static DaemonProcess startWithDht(Path state, Path downloads) throws IOException {
        return start(state, List.of("--download-dir", downloads.toString(), "--bind", "127.0.0.1", "--http-bind",
                "127.0.0.1", "--port", "0", "--dht-port", "0", "--http-port", "0"));
    }

    /** Starts a daemon with only {@code --state}: the settings saved by its last start apply. */
    static DaemonProcess restart(Path state) throws IOException {
        return start(state, List.of());
    }

    private static DaemonProcess start(Path state, List<String> options) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.kadtorrent.client.cli.Main", "daemon",
                "--state", state.toString()));
        cmd.addAll(options);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String http = null;
            int tcp = -1;
            for (String line = out.readLine(); line != null; line = out.readLine()) { // ends when the process does
                if (line.startsWith("listening: tcp ")) {
                    tcp = Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
                } else if (line.startsWith("listening: http ")) {
                    http = line.substring("listening: http ".length());
                    break;
                }
            }
            if (http == null || tcp < 0) {
                throw new IOException("the daemon exited before listening (exit " + p.waitFor() + ")");
            }
            Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "daemon-stdout");
            drain.setDaemon(true);
            drain.start();
            String token = Files.readString(state.resolve("token")).trim();
            return new DaemonProcess(p, http, tcp, token);
        } catch (IOException | InterruptedException | RuntimeException e) {
            p.destroyForcibly();
            throw new IOException("cannot start the daemon: " + e, e);
        }
    }

    JsonNode call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<String> res = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() / 100 != 2) {
            throw new AssertionError(method + " " + path + ": " + res.statusCode() + " " + res.body());
        }
        return JSON.readTree(res.body());
    }

    JsonNode add(Map<String, Object> body) throws Exception {
        return call("POST", "/api/v1/torrents", body);
    }

    JsonNode list() throws Exception {
        return call("GET", "/api/v1/torrents", null);
    }

    /** Polls the list until every torrent satisfies {@code done}; fails after {@code seconds}. */
    JsonNode awaitAll(Predicate<JsonNode> done, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = list();
            boolean all = last.size() > 0;
            for (JsonNode t : last) {
                all &= done.test(t);
            }
            if (all) {
                return last;
            }
            Thread.sleep(100); // bounds how often we look; the list is sampled once a second
        }
        throw new AssertionError("not reached in " + seconds + " s: " + last);
    }

    void kill9() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no resume save
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Ctrl-C: SIGTERM, the daemon saves and exits; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the daemon did not stop within 60 s of SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
