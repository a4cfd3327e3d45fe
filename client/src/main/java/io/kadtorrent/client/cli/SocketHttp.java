package io.kadtorrent.client.cli;

import io.kadtorrent.engine.http.HttpAnswer;
import io.kadtorrent.engine.http.SocketHttpClient;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * One request to the daemon's control API and its answer, over a plain socket ({@link SocketHttpClient}). The CLI
 * sends one request per command, so this needs no connection pool, proxy, redirect or cookie:
 * {@link java.net.HttpURLConnection} loaded about 150 classes for those, started a keep-alive cleaner thread and
 * its platform logging, 25 ms of a cold {@code ls} (bench/RESULTS.md, start-up).
 */
final class SocketHttp {

    /** A control API answer is at most the details of one torrent or the list of all; larger is not the daemon. */
    static final int MAX_BODY_BYTES = 64 << 20;

    private SocketHttp() {
    }

    /**
     * Sends {@code method target} to {@code hostPort} ({@code host:port}, an IPv6 host in brackets) with the
     * bearer token and, when {@code body} is not null, that JSON body; the whole exchange ends within
     * {@code timeoutMillis}.
     */
    static HttpAnswer exchange(String hostPort, String method, String target, String token, byte[] body,
                               int timeoutMillis) throws IOException {
        long deadlineNanos = System.nanoTime() + timeoutMillis * 1_000_000L;
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException("not host:port: " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException("not host:port: " + hostPort);
        }
        StringBuilder head = SocketHttpClient.requestHead(method, target, hostPort)
                .append("Authorization: Bearer ").append(token).append("\r\n")
                .append("Accept: application/json\r\n");
        if (body != null) {
            head.append("Content-Type: application/json\r\n");
        }
        return SocketHttpClient.exchange(new InetSocketAddress(host, port), head, body, deadlineNanos, MAX_BODY_BYTES);
    }
}
