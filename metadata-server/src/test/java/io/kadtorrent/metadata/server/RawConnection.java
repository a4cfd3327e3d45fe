package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.MetadataResponseCodec;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * A plain blocking socket for tests that must send what no well-behaved client would: raw
 * bytes, broken frames, trickles. Every read has a timeout.
 */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawConnection(InetSocketAddress server, Duration readTimeout) throws IOException {
        socket = new Socket();
        socket.connect(server, 5000);
        socket.setSoTimeout((int) readTimeout.toMillis());
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame; fails on timeout or end of stream. */
    MetadataResponse readResponse() throws Exception {
        int length = in.readInt();
        if (length < 0 || length > 1 << 20) {
            throw new IOException("unexpected response length " + length);
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return MetadataResponseCodec.decode(body);
    }

    /** True when the server closed the connection (end of stream or reset) before the read timeout. */
    boolean closedByServer() throws IOException {
        byte[] sink = new byte[64 << 10];
        try {
            while (in.read(sink) >= 0) {
                // drain whatever the server said before closing
            }
            return true;
        } catch (EOFException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
