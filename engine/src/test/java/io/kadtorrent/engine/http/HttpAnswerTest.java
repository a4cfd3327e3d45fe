package io.kadtorrent.engine.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading HTTP answers: their framing, redirects, and answers that are not HTTP, too large, or end early. */
class HttpAnswerTest {

    private static final int MAX = 1 << 10;

    private static HttpAnswer read(String answer) throws IOException {
        return HttpAnswer.read(new ByteArrayInputStream(bytes(answer)), false, MAX);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsABodyByContentLength() throws Exception {
        HttpAnswer a = read("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n"
                + "content-length: 17\r\nconnection: keep-alive\r\n\r\n{\"error\":\"none\"}\nNEXT");
        assertEquals(404, a.status());
        assertArrayEquals(bytes("{\"error\":\"none\"}\n"), a.body());
        assertTrue(a.location().isEmpty());
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        HttpAnswer a = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n"
                + "4\r\n[1,2\r\n3;x=y\r\n,3]\r\n0\r\nX-Trailer: t\r\n\r\n");
        assertEquals(200, a.status());
        assertArrayEquals(bytes("[1,2,3]"), a.body());
    }

    @Test
    void withoutALengthTheBodyEndsWithTheConnection() throws Exception {
        assertArrayEquals(bytes("[]"), read("HTTP/1.0 200 OK\nContent-Type: application/json\n\n[]").body());
    }

    @Test
    void noContentAndHeadAnswersHaveNoBody() throws Exception {
        HttpAnswer a = read("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
        assertEquals(204, a.status());
        assertEquals(0, a.body().length);
        HttpAnswer head = HttpAnswer.read(new ByteArrayInputStream(bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")),
                true, MAX);
        assertEquals(0, head.body().length);
    }

    @Test
    void aRedirectCarriesItsLocation() throws Exception {
        HttpAnswer a = read("HTTP/1.1 307 Temporary Redirect\r\nLocation:  /other?x=1 \r\nContent-Length: 0\r\n\r\n");
        assertTrue(a.isRedirect());
        assertEquals("/other?x=1", a.location().orElseThrow());
        assertFalse(read("HTTP/1.1 304 Not Modified\r\n\r\n").isRedirect());
    }

    @Test
    void aBodyOverTheLimitIsRefusedHoweverItIsFramed() {
        String body = "x".repeat(MAX + 1);
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: " + (MAX + 1) + "\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\n\r\n" + body));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(MAX) + "\r\n" + body.substring(1) + "\r\n1\r\nx\r\n0\r\n\r\n"));
        assertArrayEquals(bytes(body.substring(1)),
                assertDoesNotThrow(() -> read("HTTP/1.1 200 OK\r\n\r\n" + body.substring(1))).body());
    }

    @Test
    void refusesWhatIsNotAnHttpAnswerOrEndsEarly() {
        assertThrows(ProtocolException.class, () -> read("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 abc OK\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Le"));
        assertThrows(EOFException.class, () -> read(""));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nabcd\r\n0\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\nX: " + "a".repeat(10_000) + "\r\n\r\n"));
        assertThrows(ProtocolException.class, () -> read("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(101) + "\r\n"));
    }
}
