package io.kadtorrent.engine.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** However a server frames a body and however the network splits its bytes, the reader gets the same body. */
class HttpAnswerProperties {

    @Property
    void aChunkedBodyReadsTheSameWhateverItsChunksAndReads(@ForAll @Size(max = 3000) byte[] body,
                                                           @ForAll @Size(max = 20) List<@IntRange(min = 1, max = 700) Integer> chunks,
                                                           @ForAll long seed) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(ascii("HTTP/1.1 200 OK\r\nServer: x\r\nTransfer-Encoding: chunked\r\n\r\n"));
        int at = 0;
        for (int i = 0; at < body.length; i++) {
            int n = Math.min(body.length - at, chunks.isEmpty() ? body.length : chunks.get(i % chunks.size()));
            wire.writeBytes(ascii(Integer.toHexString(n) + (i % 3 == 1 ? ";ext=1" : "") + "\r\n"));
            wire.write(body, at, n);
            wire.writeBytes(ascii("\r\n"));
            at += n;
        }
        wire.writeBytes(ascii("0\r\n\r\n"));
        HttpAnswer a = HttpAnswer.read(new Dribble(wire.toByteArray(), new Random(seed)), false, 4096);
        assertEquals(200, a.status());
        assertArrayEquals(body, a.body());
    }

    @Property
    void aBodyByLengthOrToTheEndReadsTheSameWhateverTheReads(@ForAll @Size(max = 3000) byte[] body,
                                                             @ForAll boolean withLength, @ForAll long seed)
            throws IOException {
        String head = "HTTP/1.1 200 OK\r\n" + (withLength ? "Content-Length: " + body.length + "\r\n" : "") + "\r\n";
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(ascii(head));
        wire.writeBytes(body);
        HttpAnswer a = HttpAnswer.read(new Dribble(wire.toByteArray(), new Random(seed)), false, 4096);
        assertArrayEquals(body, a.body());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A stream that hands out its bytes in random short reads, as a socket may. */
    private static final class Dribble extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int at;

        Dribble(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return at < bytes.length ? bytes[at++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (at == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, bytes.length - at), 1 + random.nextInt(17));
            System.arraycopy(bytes, at, b, off, n);
            at += n;
            return n;
        }
    }
}
