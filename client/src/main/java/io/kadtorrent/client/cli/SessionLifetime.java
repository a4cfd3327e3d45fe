package io.kadtorrent.client.cli;

import io.kadtorrent.client.swarm.Session;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps a command's session until Ctrl-C or a deadline and closes it exactly once either way, so
 * an interrupted download still finishes its disk writes and saves resume data.
 */
final class SessionLifetime implements AutoCloseable {

    private final Session session;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final Thread hook;

    SessionLifetime(Session session) {
        this.session = session;
        this.hook = new Thread(() -> {
            interrupted.countDown();
            closeSession();
        }, "kadtorrent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Waits until Ctrl-C, or until {@code seconds} pass when it is not negative. */
    void awaitInterruptOr(long seconds) throws InterruptedException {
        if (seconds < 0) {
            interrupted.await();
        } else if (seconds > 0) {
            interrupted.await(seconds, TimeUnit.SECONDS);
        }
    }

    private void closeSession() {
        if (closed.compareAndSet(false, true)) {
            session.close();
        }
    }

    @Override
    public void close() {
        closeSession();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook closes the session
        }
    }
}
