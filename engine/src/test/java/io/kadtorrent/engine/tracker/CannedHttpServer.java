package io.kadtorrent.engine.tracker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback HTTP server for tests that answers each request with whatever bytes its responder writes, framing
 * and mistakes included, one connection at a time, and closes the connection after each answer.
 */
final class CannedHttpServer implements AutoCloseable {

    /** Writes the answer to a request for {@code target}; the request head has been read. */
    @FunctionalInterface
    interface Responder {
        void answer(String target, Socket client, OutputStream out) throws IOException, InterruptedException;
    }

    /** A request as received: its request line and header lines. */
    record Request(String line, List<String> headers) {
        Request {
            headers = List.copyOf(headers);
        }

        /** The request target, or "" when the line is no HTTP request line. */
        String target() {
            String[] parts = line.split(" ");
            return parts.length >= 3 ? parts[1] : "";
        }
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Responder responder;
    private final Thread thread;
    private volatile Socket current;

    CannedHttpServer(Responder responder) throws IOException {
        this(InetAddress.getLoopbackAddress(), responder);
    }

    CannedHttpServer(InetAddress loopback, Responder responder) throws IOException {
        this.server = new ServerSocket(0, 16, loopback);
        this.responder = responder;
        this.thread = new Thread(this::serve, "canned-http");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes {@code answer} as ISO-8859-1 bytes. */
    static Responder always(String answer) {
        return (target, client, out) -> out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
    }

    String url(String pathAndQuery) {
        InetAddress a = server.getInetAddress();
        String host = a.getAddress().length == 16 ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        return "http://" + host + ":" + server.getLocalPort() + pathAndQuery;
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket client = server.accept()) {
                current = client;
                BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                String line = in.readLine();
                List<String> headers = new ArrayList<>();
                for (String h = in.readLine(); h != null && !h.isEmpty() && headers.size() < 100; h = in.readLine()) {
                    headers.add(h);
                }
                if (line == null) {
                    continue;
                }
                Request request = new Request(line, headers);
                requests.add(request);
                OutputStream out = client.getOutputStream();
                responder.answer(request.target(), client, out);
                out.flush();
            } catch (IOException e) {
                // the client went away, or close() closed the socket: next connection, or the loop ends
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        server.close();
        Socket c = current;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
        thread.join(5_000);
    }
}
