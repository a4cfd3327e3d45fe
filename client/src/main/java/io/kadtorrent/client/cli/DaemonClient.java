package io.kadtorrent.client.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.engine.http.HttpAnswer;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The CLI's side of the control API: finds the daemon through its state folder ({@code daemon.json} and
 * {@code token}; the fields of {@link io.kadtorrent.daemon.DaemonEndpoint}), sends one request and turns the API's {@code {"error": ...}} into a message.
 *
 * <p>The request goes over a plain socket ({@link SocketHttp}). Finding the daemon and reading its errors use
 * Jackson's streaming parser only, and {@link #getBody}
 * hands back the answer's bytes: {@code ls} reads them as a stream too, and never pays for starting Jackson's
 * databind (an {@code ObjectMapper} costs a cold command about 0.08 s; bench/RESULTS.md, start-up). The
 * commands that want a tree ({@link #get}, {@link #post}, {@link #delete}) get one from the same bytes.
 */
final class DaemonClient {

    private static final int TIMEOUT_MILLIS = 60_000;
    /** Sharing hashes the whole folder before the daemon answers. */
    static final int SHARE_TIMEOUT_MILLIS = 3_600_000;
    /** Streaming only: creating one is cheap, unlike an {@link ObjectMapper}. */
    static final JsonFactory JSON = new JsonFactory();

    /** Built on first use, by the commands that read answers as trees or send bodies. */
    private static final class Trees {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Path stateDir;
    /** The control API's {@code host:port}, as the daemon wrote it. */
    private final String hostPort;
    private final String token;

    private DaemonClient(Path stateDir, String hostPort, String token) {
        this.stateDir = stateDir;
        this.hostPort = hostPort;
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
            http = topLevelText(Files.readAllBytes(endpointFile), "http", "");
        } catch (NoSuchFileException e) {
            throw new DaemonException("no daemon is running on " + stateDir + " (start one with: kadtorrent daemon --state "
                    + stateDir + ")", 0);
        }
        if (http.isEmpty()) {
            throw new DaemonException(endpointFile + " names no control API address (http); restart the daemon", 0);
        }
        String token = Files.readString(stateDir.resolve("token"), StandardCharsets.US_ASCII).trim();
        return new DaemonClient(stateDir, http, token);
    }

    /**
     * The text of a scalar field of the JSON object {@code json} (a number as written), or {@code otherwise}
     * when it is missing, null, an object or an array. Nested objects are skipped, not searched.
     */
    static String topLevelText(byte[] json, String field, String otherwise) throws IOException {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return otherwise;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(field) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return otherwise;
        }
    }

    static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The answer to a GET as bytes (JSON), for callers that read it as a stream. */
    byte[] getBody(String path) throws IOException {
        return call("GET", path, null, TIMEOUT_MILLIS);
    }

    JsonNode get(String path) throws IOException {
        return tree(getBody(path));
    }

    JsonNode post(String path, Object body) throws IOException {
        return post(path, body, TIMEOUT_MILLIS);
    }

    JsonNode post(String path, Object body, int timeoutMillis) throws IOException {
        return tree(call("POST", path, body == null ? new byte[0] : Trees.MAPPER.writeValueAsBytes(body), timeoutMillis));
    }

    JsonNode delete(String path) throws IOException {
        return tree(call("DELETE", path, null, TIMEOUT_MILLIS));
    }

    private static JsonNode tree(byte[] answer) throws IOException {
        return Trees.MAPPER.readTree(answer);
    }

    /** The answer's bytes; an error status throws its {@code error} text. */
    private byte[] call(String method, String path, byte[] body, int timeoutMillis) throws IOException {
        HttpAnswer answer;
        try {
            answer = SocketHttp.exchange(hostPort, method, path, token, body, timeoutMillis);
        } catch (ConnectException e) {
            throw new DaemonException("the daemon of " + stateDir + " does not answer at " + base()
                    + " (not running? start it with: kadtorrent daemon --state " + stateDir + ")", 0);
        }
        if (answer.status() >= 400) {
            throw new DaemonException(topLevelText(answer.body(), "error", "HTTP " + answer.status()), answer.status());
        }
        return answer.body();
    }

    /** The token, for commands that print a URL the browser needs it for. */
    String token() {
        return token;
    }

    /** {@code http://host:port}, where the web UI is too. */
    String base() {
        return "http://" + hostPort;
    }
}
