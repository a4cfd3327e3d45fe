package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;

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
    private volatile Runnable beforeClose = () -> { };

    SessionLifetime(Session session) {
        this.session = session;
        this.hook = new Thread(() -> {
            interrupted.countDown();
            beforeClose.run();
            closeSession();
        }, "kadtorrent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** {@code task} runs once before the session closes, also on Ctrl-C (e.g. to print final statistics). */
    void beforeClose(Runnable task) {
        java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
        this.beforeClose = () -> {
            if (ran.compareAndSet(false, true)) {
                task.run();
            }
        };
    }

    /** Waits until Ctrl-C, or until {@code seconds} pass when it is not negative; true after Ctrl-C. */
    boolean awaitInterruptOr(long seconds) throws InterruptedException {
        if (seconds < 0) {
            interrupted.await();
        } else if (seconds > 0) {
            interrupted.await(seconds, TimeUnit.SECONDS);
        }
        return interrupted.getCount() == 0;
    }

    private void closeSession() {
        if (closed.compareAndSet(false, true)) {
            session.close();
        }
    }

    @Override
    public void close() {
        beforeClose.run();
        closeSession();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already exiting; the hook closes the session
        }
    }
}
