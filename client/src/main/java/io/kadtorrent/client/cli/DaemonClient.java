package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The CLI's side of the control API: finds the daemon through its state folder ({@code daemon.json} and
 * {@code token}; the fields of {@link io.kadtorrent.daemon.DaemonEndpoint}), sends one request and turns the API's {@code {"error": ...}} into a message.
 */
final class DaemonClient {

    private static final int TIMEOUT_MILLIS = 60_000;
    /** Sharing hashes the whole folder before the daemon answers. */
    static final int SHARE_TIMEOUT_MILLIS = 3_600_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path stateDir;
    private final String base;
    private final String token;

    private DaemonClient(Path stateDir, String base, String token) {
        this.stateDir = stateDir;
        this.base = base;
        this.token = token;
    }

    /** Thrown when the daemon cannot be reached or refuses a request; the message is for the user. */
    static final class DaemonException extends IOException {
        final int status;

        DaemonException(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    static DaemonClient connect(Path stateDir) throws IOException {
        Path endpointFile = stateDir.resolve("daemon.json");
        String http;
        try {
            // read as a tree, not bound to DaemonEndpoint: binding a record introspects it first (about 30 ms
            // of a cold remote command's start-up, bench/startup)
            http = JSON.readTree(Files.readAllBytes(endpointFile)).path("http").asText("");
        } catch (NoSuchFileException e) {
            throw new DaemonException("no daemon is running on " + stateDir + " (start one with: kadtorrent daemon --state "
                    + stateDir + ")", 0);
        }
        if (http.isEmpty()) {
            throw new DaemonException(endpointFile + " names no control API address (http); restart the daemon", 0);
        }
        String token = Files.readString(stateDir.resolve("token"), StandardCharsets.US_ASCII).trim();
        return new DaemonClient(stateDir, "http://" + http, token);
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    JsonNode get(String path) throws IOException {
        return call("GET", path, null, TIMEOUT_MILLIS);
    }

    JsonNode post(String path, Object body) throws IOException {
        return post(path, body, TIMEOUT_MILLIS);
    }

    JsonNode post(String path, Object body, int timeoutMillis) throws IOException {
        return call("POST", path, body == null ? new byte[0] : JSON.writeValueAsBytes(body), timeoutMillis);
    }

    JsonNode delete(String path) throws IOException {
        return call("DELETE", path, null, TIMEOUT_MILLIS);
    }

    private JsonNode call(String method, String path, byte[] body, int timeoutMillis) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(base + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setConnectTimeout(5_000);
        c.setReadTimeout(timeoutMillis);
        c.setRequestProperty("Authorization", "Bearer " + token);
        c.setRequestProperty("Accept", "application/json");
        try {
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                JsonNode answer = in == null ? JSON.nullNode() : JSON.readTree(in.readAllBytes());
                if (status >= 400) {
                    String why = answer.path("error").asText("HTTP " + status);
                    throw new DaemonException(why, status);
                }
                return answer;
            }
        } catch (ConnectException e) {
            throw new DaemonException("the daemon of " + stateDir + " does not answer at " + base
                    + " (not running? start it with: kadtorrent daemon --state " + stateDir + ")", 0);
        } finally {
            c.disconnect();
        }
    }

    /** The token, for commands that print a URL the browser needs it for. */
    String token() {
        return token;
    }

    String base() {
        return base;
    }
}
