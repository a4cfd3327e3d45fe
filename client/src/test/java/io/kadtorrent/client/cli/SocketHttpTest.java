package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reading the daemon's HTTP answers: their framing, and answers that are not HTTP or end early. */
class SocketHttpTest {

    private static SocketHttp.Answer read(String answer) throws IOException {
        return SocketHttp.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1)), false);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void readsABodyByContentLength() throws Exception {
        SocketHttp.Answer a = read("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\n"
                + "content-length: 17\r\nconnection: keep-alive\r\n\r\n{\"error\":\"none\"}\nNEXT");
        assertEquals(404, a.status);
        assertArrayEquals(bytes("{\"error\":\"none\"}\n"), a.body);
    }

    @Test
    void readsAChunkedBodyWithExtensionsAndTrailers() throws Exception {
        SocketHttp.Answer a = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "4\r\n[1,2\r\n3;x=y\r\n,3]\r\n0\r\nX-Trailer: t\r\n\r\n");
        assertEquals(200, a.status);
        assertArrayEquals(bytes("[1,2,3]"), a.body);
    }

    @Test
    void withoutALengthTheBodyEndsWithTheConnection() throws Exception {
        assertArrayEquals(bytes("[]"), read("HTTP/1.0 200 OK\nContent-Type: application/json\n\n[]").body);
    }

    @Test
    void noContentHasNoBody() throws Exception {
        SocketHttp.Answer a = read("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n");
        assertEquals(204, a.status);
        assertEquals(0, a.body.length);
    }

    @Test
    void refusesWhatIsNotAnHttpAnswerOrEndsEarly() {
        assertThrows(IOException.class, () -> read("SSH-2.0-OpenSSH\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 abc OK\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Le"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: " + (SocketHttp.MAX_BODY_BYTES + 1L)
                + "\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nX: " + "a".repeat(10_000) + "\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(101) + "\r\n"));
    }
}
