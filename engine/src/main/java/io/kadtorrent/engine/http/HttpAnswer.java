package io.kadtorrent.engine.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 answer (RFC 9112) read from a stream, every part bounded: its status, its {@code Location} (for
 * redirects) and its body, framed by {@code Content-Length}, chunked, or read to the end of the connection.
 * Malformed or oversized answers throw {@link ProtocolException}; an answer cut short throws {@link EOFException}.
 */
public final class HttpAnswer {

    /** One line of the status, a header or a chunk size; real heads are far shorter. */
    static final int MAX_LINE_BYTES = 8 << 10;
    static final int MAX_HEADERS = 100;

    private final int status;
    private final String location;
    private final byte[] body;

    private HttpAnswer(int status, String location, byte[] body) {
        this.status = status;
        this.location = location;
        this.body = body;
    }

    /** The status code, 100 to 999. */
    public int status() {
        return status;
    }

    /** The {@code Location} header as sent, if any. */
    public Optional<String> location() {
        return Optional.ofNullable(location);
    }

    /** The body (empty when the answer has none); handed over, not copied: the caller owns the array. */
    public byte[] body() {
        return body;
    }

    /** A redirect this client may follow (RFC 9110 section 15.4): 301, 302, 303, 307 or 308. */
    public boolean isRedirect() {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Reads one answer: the status line, the headers, and the body they announce, at most {@code maxBodyBytes}.
     *
     * @param head true when the request was a {@code HEAD}, whose answer has no body whatever its headers say
     */
    public static HttpAnswer read(InputStream in, boolean head, int maxBodyBytes) throws IOException {
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
            throw new ProtocolException("not an HTTP answer: " + printable(statusLine));
        }
        long contentLength = -1;
        boolean chunked = false;
        String location = null;
        int headers = 0;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (++headers > MAX_HEADERS) {
                throw new ProtocolException("HTTP answer with more than " + MAX_HEADERS + " headers");
            }
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new ProtocolException("bad HTTP header: " + printable(header));
            }
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = contentLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                case "location" -> location = value;
                default -> { }
            }
        }
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return new HttpAnswer(status, location, new byte[0]);
        }
        if (chunked) { // RFC 9112 section 6.3: chunked wins over a Content-Length
            return new HttpAnswer(status, location, chunks(in, maxBodyBytes));
        }
        if (contentLength >= 0) {
            if (contentLength > maxBodyBytes) {
                throw tooLarge(maxBodyBytes);
            }
            byte[] body = in.readNBytes((int) contentLength);
            if (body.length != contentLength) {
                throw new EOFException("HTTP answer ended after " + body.length + " of " + contentLength + " bytes");
            }
            return new HttpAnswer(status, location, body);
        }
        byte[] all = in.readNBytes(maxBodyBytes + 1); // no length given: the body ends with the connection
        if (all.length > maxBodyBytes) {
            throw tooLarge(maxBodyBytes);
        }
        return new HttpAnswer(status, location, all);
    }

    private static long contentLength(String value) throws ProtocolException {
        try {
            long length = Long.parseLong(value);
            if (length >= 0) {
                return length;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ProtocolException("bad Content-Length: " + printable(value));
    }

    /** A chunked body (RFC 9112 section 7.1): hex size lines, each chunk and its CRLF, a zero size, trailers. */
    private static byte[] chunks(InputStream in, int maxBodyBytes) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int semicolon = sizeLine.indexOf(';'); // chunk extensions
            long size;
            try {
                size = Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new ProtocolException("bad chunk size: " + printable(sizeLine));
            }
            if (size == 0) {
                for (int trailers = 0; !line(in).isEmpty(); trailers++) {
                    if (trailers == MAX_HEADERS) {
                        throw new ProtocolException("HTTP answer with more than " + MAX_HEADERS + " trailers");
                    }
                }
                return body.toByteArray();
            }
            if (size < 0 || body.size() + size > maxBodyBytes) {
                throw size < 0 ? new ProtocolException("bad chunk size: " + sizeLine) : tooLarge(maxBodyBytes);
            }
            byte[] chunk = in.readNBytes((int) size);
            if (chunk.length != size) {
                throw new EOFException("HTTP answer ended inside a chunk");
            }
            body.write(chunk);
            if (!line(in).isEmpty()) {
                throw new ProtocolException("HTTP chunk of " + size + " bytes not followed by CRLF");
            }
        }
    }

    private static ProtocolException tooLarge(int maxBodyBytes) {
        return new ProtocolException("HTTP answer larger than " + maxBodyBytes + " bytes");
    }

    /** One line without its CRLF (or bare LF), at most {@link #MAX_LINE_BYTES}. */
    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the connection closed before the HTTP answer ended");
            }
            if (line.length() == MAX_LINE_BYTES) {
                throw new ProtocolException("HTTP answer with a line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (b != '\r') {
                line.append((char) b); // ISO-8859-1, as HTTP/1.1 heads are
            }
        }
        return line.toString();
    }

    /** At most 80 characters of a hostile line, for an error message. */
    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }
}
