package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** A test's view of a daemon's API: raw requests with any headers, and JSON helpers with the token. */
final class ApiClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final String base;
    private final String token;

    ApiClient(Daemon daemon, String token) {
        this.base = "http://127.0.0.1:" + daemon.httpAddress().getPort();
        this.token = token;
    }

    HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} as it is over a plain socket (the JDK client refuses to set Host) and reads the answer. */
    String raw(String request) throws IOException {
        URI uri = URI.create(base);
        try (java.net.Socket s = new java.net.Socket(uri.getHost(), uri.getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path));
    }

    HttpRequest.Builder authed(String path) {
        return request(path).header("Authorization", "Bearer " + token);
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        return ok(send(authed(path).GET()));
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        return ok(send(authed(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))));
    }

    JsonNode delete(String path) throws IOException, InterruptedException {
        return ok(send(authed(path).DELETE()));
    }

    private JsonNode ok(HttpResponse<String> res) throws IOException {
        if (res.statusCode() / 100 != 2) {
            throw new AssertionError(res.statusCode() + " " + res.body());
        }
        return json.readTree(res.body());
    }

    /** Polls the torrent's entry in the list until {@code done} holds; fails after {@code seconds}. */
    JsonNode awaitTorrent(String infoHash, Predicate<JsonNode> done, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode t : get("/api/v1/torrents")) {
                if (t.get("info_hash").asText().equals(infoHash)) {
                    last = t;
                    if (done.test(t)) {
                        return t;
                    }
                }
            }
            Thread.sleep(50); // the list is sampled once a second; this only bounds how often we look
        }
        throw new AssertionError("condition not reached in " + seconds + " s; last: " + last);
    }
}
