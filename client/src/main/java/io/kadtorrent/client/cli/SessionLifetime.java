package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Keeps a command's session until Ctrl-C or a deadline and closes it exactly once either way, so
 * an interrupted download still finishes its disk writes and saves resume data. On Ctrl-C it says
 * so on stderr, and once the session is closed, what state it left (see {@link #onInterrupt}).
 */
final class SessionLifetime implements AutoCloseable {

    private final Session session;
    private final PrintWriter err;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final Thread hook;
    private volatile Runnable beforeClose = () -> { };
    private volatile Supplier<String> farewell = () -> "stopped";

    SessionLifetime(Session session, PrintWriter err) {
        this.session = session;
        this.err = err;
        this.hook = new Thread(this::interrupt, "kadtorrent-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Ctrl-C (or SIGTERM): stop waiting, say what happens, close, say what was left. */
    private void interrupt() {
        interrupted.countDown();
        err.println("interrupted: closing connections and saving resume data");
        err.flush();
        String last;
        try {
            last = farewell.get(); // asked while the session still runs
        } catch (RuntimeException e) {
            last = "stopped";
        }
        beforeClose.run();
        closeSession();
        err.println(last);
        err.flush();
    }

    /** {@code task} runs once before the session closes, also on Ctrl-C (e.g. to print final statistics). */
    void beforeClose(Runnable task) {
        AtomicBoolean ran = new AtomicBoolean();
        this.beforeClose = () -> {
            if (ran.compareAndSet(false, true)) {
                task.run();
            }
        };
    }

    /** The last line after Ctrl-C, e.g. how far a download got and how to resume it. */
    void onInterrupt(Supplier<String> lastLine) {
        this.farewell = lastLine;
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
