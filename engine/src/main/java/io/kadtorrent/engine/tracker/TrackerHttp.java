package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.http.HttpAnswer;
import io.kadtorrent.engine.http.SocketHttpClient;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * GETs a tracker URL (an announce or a scrape) and hands back the body of its 200 answer: {@code http} over a
 * plain socket ({@link SocketHttpClient}) following up to {@link #MAX_REDIRECTS} redirects, {@code https} (or a
 * redirect to it) through the JDK's {@link HttpClient}, made on first use. Each GET, redirects included, ends
 * within its timeout. Blocking; thread-safe.
 */
final class TrackerHttp {

    static final String USER_AGENT = "kadtorrent/0.1.0";
    /** As browsers and curl's default allow fewer than 50 but more than a tracker needs. */
    static final int MAX_REDIRECTS = 5;
    private static final int HTTP_PORT = 80;

    private final Duration timeout;
    /** Made on the first {@code https} GET: the JDK's client starts a thread and loads hundreds of classes. */
    private HttpClient https;

    TrackerHttp(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * The body of {@code url}'s answer, at most {@link HttpTrackerCodec#MAX_RESPONSE_BYTES}.
     *
     * @throws TrackerException when the answer is not a 200, too large, not HTTP, late, or redirects too often
     */
    byte[] get(URI url) throws IOException, InterruptedException {
        long deadlineNanos = System.nanoTime() + timeout.toNanos();
        List<URI> visited = new ArrayList<>();
        URI current = url;
        while (isHttp(current)) {
            HttpAnswer answer = plain(current, deadlineNanos);
            if (!answer.isRedirect()) {
                return body(answer.status(), answer.body());
            }
            visited.add(current);
            current = redirectTarget(current, answer);
            if (visited.contains(current)) {
                throw new TrackerException("redirect loop: " + current + " was already asked");
            }
            if (visited.size() > MAX_REDIRECTS) {
                throw new TrackerException("more than " + MAX_REDIRECTS + " redirects from " + url);
            }
        }
        return viaJdk(current, deadlineNanos);
    }

    private static boolean isHttp(URI url) {
        return "http".equals(url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT));
    }

    private HttpAnswer plain(URI url, long deadlineNanos) throws IOException {
        String host = url.getHost(); // an IPv6 literal keeps its brackets here
        if (host == null) {
            throw new TrackerException("tracker URL " + url + " has no host");
        }
        int port = url.getPort() < 0 ? HTTP_PORT : url.getPort();
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String target = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        StringBuilder head = SocketHttpClient.requestHead("GET", target, SocketHttpClient.authority(host, port, HTTP_PORT))
                .append("User-Agent: ").append(USER_AGENT).append("\r\n");
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        // the name lookup is outside the deadline, as in the JDK client and the UDP path
        InetSocketAddress address = new InetSocketAddress(bare, port);
        if (address.isUnresolved()) {
            throw new TrackerException("cannot resolve " + bare);
        }
        try {
            return SocketHttpClient.exchange(address, head, null, deadlineNanos, HttpTrackerCodec.MAX_RESPONSE_BYTES);
        } catch (SocketTimeoutException e) {
            throw new TrackerException("no complete answer within " + timeout.toMillis() + " ms", e);
        } catch (ProtocolException | EOFException e) {
            throw new TrackerException(e.getMessage(), e);
        }
    }

    /** Where a redirect points, resolved against the URL that sent it; only {@code http} and {@code https}. */
    private static URI redirectTarget(URI from, HttpAnswer answer) throws TrackerException {
        String location = answer.location().orElseThrow(() ->
                new TrackerException("tracker answered HTTP " + answer.status() + " without a Location"));
        URI to;
        try {
            to = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw new TrackerException("tracker redirected to a bad URL: " + location);
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TrackerException("tracker redirected to " + scheme + ", not http or https");
        }
        return to;
    }

    private byte[] viaJdk(URI url, long deadlineNanos) throws IOException, InterruptedException {
        long leftNanos = deadlineNanos - System.nanoTime();
        if (leftNanos <= 0) {
            throw new TrackerException("no complete answer within " + timeout.toMillis() + " ms");
        }
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofNanos(leftNanos))
                .header("User-Agent", USER_AGENT).GET().build();
        HttpResponse<InputStream> res = https().send(req, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = res.body()) {
            return body(res.statusCode(), in.readNBytes(HttpTrackerCodec.MAX_RESPONSE_BYTES + 1));
        }
    }

    private static byte[] body(int status, byte[] body) throws TrackerException {
        if (status != 200) {
            throw new TrackerException("tracker answered HTTP " + status);
        }
        return body; // the codec refuses one over MAX_RESPONSE_BYTES (the JDK path reads one byte more to tell)
    }

    private synchronized HttpClient https() {
        if (https == null) {
            https = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                    .build();
        }
        return https;
    }
}
