package io.kadtorrent.daemon;

import com.google.common.util.concurrent.RateLimiter;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback TCP relay in front of a seeder that lets through a set number of the seeder's bytes, paced, and
 * holds the rest until {@link #open()}: it stops a download part-way for as long as a test looks at it,
 * without any timing guess. Bytes towards the seeder pass freely.
 */
final class WebUiRelay implements AutoCloseable {

    private static final int CHUNK_BYTES = 16 * 1024;

    private final InetSocketAddress target;
    private final ServerSocket server;
    private final RateLimiter pace;
    private final Object gate = new Object();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private long budgetBytes; // guarded by gate; bytes from the seeder still allowed through
    private boolean open;     // guarded by gate
    private volatile boolean closed;

    /**
     * @param target         the seeder's peer port
     * @param budgetBytes    how many of the seeder's bytes pass before the relay holds them
     * @param bytesPerSecond the pace of the seeder's bytes, so the page sees a download in progress
     */
    WebUiRelay(InetSocketAddress target, long budgetBytes, double bytesPerSecond) throws IOException {
        this.target = target;
        this.budgetBytes = budgetBytes;
        this.pace = RateLimiter.create(bytesPerSecond);
        this.server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        start("webui-relay-accept", this::acceptLoop);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** Lets every further byte through (still paced). */
    void open() {
        synchronized (gate) {
            open = true;
            gate.notifyAll();
        }
    }

    private void start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        synchronized (threads) {
            threads.add(t);
        }
        t.start();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket downstream = server.accept();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                synchronized (sockets) {
                    sockets.add(downstream);
                    sockets.add(upstream);
                }
                start("webui-relay-up", () -> pump(downstream, upstream, false));
                start("webui-relay-down", () -> pump(upstream, downstream, true));
            } catch (IOException e) {
                if (!closed) {
                    throw new IllegalStateException("relay accept failed", e);
                }
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromSeeder) {
        byte[] buf = new byte[CHUNK_BYTES];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int sent = 0;
                while (sent < n) {
                    int allowed = fromSeeder ? await(n - sent) : n - sent;
                    if (fromSeeder) {
                        pace.acquire(allowed);
                    }
                    out.write(buf, sent, allowed);
                    out.flush();
                    sent += allowed;
                }
            }
        } catch (IOException | InterruptedException e) {
            // the peer, the seeder or close() ended the connection
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Blocks until some of {@code wanted} bytes may pass; returns how many. */
    private int await(int wanted) throws InterruptedException {
        synchronized (gate) {
            while (!open && budgetBytes <= 0 && !closed) {
                gate.wait();
            }
            if (closed) {
                throw new InterruptedException("relay closed");
            }
            if (open) {
                return wanted;
            }
            int allowed = (int) Math.min(wanted, budgetBytes);
            budgetBytes -= allowed;
            return allowed;
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        Thread acceptor;
        synchronized (threads) {
            acceptor = threads.get(0);
        }
        acceptor.join(10_000); // no connection is added after this
        synchronized (sockets) {
            sockets.forEach(WebUiRelay::closeQuietly);
        }
        List<Thread> all;
        synchronized (threads) {
            all = List.copyOf(threads);
        }
        for (Thread t : all) {
            t.join(10_000);
        }
    }
}
