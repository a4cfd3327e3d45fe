package io.kadtorrent.client.cli;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One HTTP/1.1 request to the daemon's control API over a plain socket, and its answer: the status and the body
 * (by {@code Content-Length}, chunked, or up to the end). The CLI sends one request per command, so this needs no
 * connection pool, proxy, redirect or cookie: {@link java.net.HttpURLConnection} loaded about 150 classes for
 * those, started a keep-alive cleaner thread and its platform logging, 25 ms of a cold {@code ls}
 * (bench/RESULTS.md, start-up).
 */
final class SocketHttp {

    /** A control API answer is at most the details of one torrent or the list of all; larger is not the daemon. */
    static final int MAX_BODY_BYTES = 64 << 20;
    /** One line of the status, a header or a chunk size (the daemon's headers are far shorter). */
    private static final int MAX_LINE_BYTES = 8 << 10;
    private static final int MAX_HEADERS = 100;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    /** A status and a body (empty when the answer has none); the body is this answer's own array. */
    static final class Answer {
        final int status;
        final byte[] body;

        Answer(int status, byte[] body) {
            this.status = status;
            this.body = body;
        }
    }

    private SocketHttp() {
    }

    /**
     * Sends {@code method target} to {@code hostPort} ({@code host:port}, an IPv6 host in brackets) with the
     * bearer token and, when {@code body} is not null, that JSON body; waits up to {@code timeoutMillis} for
     * each read of the answer.
     */
    static Answer exchange(String hostPort, String method, String target, String token, byte[] body,
                           int timeoutMillis) throws IOException {
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
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder(256).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(hostPort).append("\r\n")
                    .append("Authorization: Bearer ").append(token).append("\r\n")
                    .append("Accept: application/json\r\n");
            if (body != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()), method.equals("HEAD"));
        }
    }

    /** Reads one answer: the status line, the headers, and the body they announce. */
    static Answer read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        // HTTP/1.1 200 OK
        String[] parts = statusLine.split(" ", 3);
        int status;
        try {
            status = parts.length >= 2 && parts[0].startsWith("HTTP/") ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            status = -1;
        }
        if (status < 100 || status > 999) {
            throw new IOException("not an HTTP answer: " + statusLine);
        }
        long contentLength = -1;
        boolean chunked = false;
        int headers = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (++headers > MAX_HEADERS) {
                throw new IOException("the daemon's answer has too many headers");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new IOException("bad HTTP header: " + header);
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length: " + value);
                }
            } else if (name.equals("transfer-encoding")) {
                chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
            }
        }
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return new Answer(status, new byte[0]);
        }
        if (chunked) {
            return new Answer(status, chunks(in));
        }
        if (contentLength >= 0) {
            if (contentLength > MAX_BODY_BYTES) {
                throw new IOException("the daemon's answer is too large: " + contentLength + " bytes");
            }
            byte[] body = in.readNBytes((int) contentLength);
            if (body.length != contentLength) {
                throw new EOFException("the daemon's answer ended after " + body.length + " of " + contentLength + " bytes");
            }
            return new Answer(status, body);
        }
        byte[] all = in.readNBytes(MAX_BODY_BYTES + 1); // no length given: the body ends with the connection
        if (all.length > MAX_BODY_BYTES) {
            throw new IOException("the daemon's answer is too large");
        }
        return new Answer(status, all);
    }

    /** A chunked body (RFC 9112 section 7.1): hex size lines, each chunk, a zero size, trailers. */
    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';'); // chunk extensions
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + sizeLine);
            }
            if (size == 0) {
                for (int trailers = 0; !line(in).isEmpty(); trailers++) {
                    if (trailers == MAX_HEADERS) {
                        throw new IOException("the daemon's answer has too many trailers");
                    }
                }
                return body.toByteArray();
            }
            if (size < 0 || body.size() + size > MAX_BODY_BYTES) {
                throw new IOException("the daemon's answer is too large");
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length != size) {
                throw new EOFException("the daemon's answer ended inside a chunk");
            }
            body.write(chunk);
            line(in); // the CRLF after the chunk
        }
    }

    /** One line without its CRLF (or LF). */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the daemon closed the connection before its answer ended");
            }
            if (line.length() == MAX_LINE_BYTES) {
                throw new IOException("the daemon's answer has too long a line");
            }
            if (b != '\r') {
                line.append((char) b); // ISO-8859-1, as HTTP/1.1 heads are
            }
        }
        return line.toString();
    }
}
