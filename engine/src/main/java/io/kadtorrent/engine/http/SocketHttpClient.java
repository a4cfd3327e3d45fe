package io.kadtorrent.engine.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request and its {@link HttpAnswer} over a fresh plain socket ({@code Connection: close}), the whole
 * exchange (connect, send, read) within one deadline, so a server that answers a byte at a time cannot hold the
 * thread longer than that. Blocking, and deliberately small: no pool, proxy, cookie, TLS or redirect (a caller
 * that follows redirects reads {@link HttpAnswer#location()}), so that it loads a handful of classes where
 * {@code java.net.http.HttpClient} or {@code HttpURLConnection} load hundreds and start threads.
 */
public final class SocketHttpClient {

    private SocketHttpClient() {
    }

    /**
     * The start of a request head: {@code METHOD target HTTP/1.1} and its {@code Host}; the caller appends its own
     * header lines, each ending in CRLF, and hands it to {@link #exchange}.
     *
     * @param authority {@code host[:port]} as the Host header carries it (an IPv6 host in brackets)
     */
    public static StringBuilder requestHead(String method, String target, String authority) {
        return new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(authority).append("\r\n");
    }

    /**
     * {@code host}, or {@code host:port} when {@code port} is not the scheme's {@code defaultPort}, an IPv6 literal
     * in brackets (RFC 9110 section 7.2).
     */
    public static String authority(String host, int port, int defaultPort) {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return port == defaultPort ? h : h + ":" + port;
    }

    /**
     * Connects to {@code address}, sends {@code head} (from {@link #requestHead}, without the blank line; this
     * appends the framing headers to it) and, when not null, {@code body} with its {@code Content-Length}, and reads
     * the answer.
     *
     * @param deadlineNanos the {@link System#nanoTime()} by which the whole exchange ends
     * @throws SocketTimeoutException when the deadline passes first
     */
    public static HttpAnswer exchange(InetSocketAddress address, StringBuilder head, byte[] body, long deadlineNanos,
                                      int maxBodyBytes) throws IOException {
        boolean headRequest = head.length() >= 5 && head.substring(0, 5).equals("HEAD ");
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try (Socket socket = new Socket()) {
            socket.connect(address, millisLeft(deadlineNanos));
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = new BufferedInputStream(new DeadlineInput(socket, deadlineNanos));
            return HttpAnswer.read(in, headRequest, maxBodyBytes);
        }
    }

    /** Milliseconds until the deadline, at least 1 (0 would mean no timeout at all); throws once it has passed. */
    static int millisLeft(long deadlineNanos) throws SocketTimeoutException {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("no complete HTTP answer in time");
        }
        return (int) Math.min(Integer.MAX_VALUE, left / 1_000_000 + 1);
    }

    /** A socket's input whose every read waits at most until the deadline. */
    private static final class DeadlineInput extends InputStream {
        private final Socket socket;
        private final InputStream in;
        private final long deadlineNanos;

        DeadlineInput(Socket socket, long deadlineNanos) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.deadlineNanos = deadlineNanos;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(millisLeft(deadlineNanos));
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            socket.setSoTimeout(millisLeft(deadlineNanos));
            return in.read(b, off, len);
        }
    }
}
