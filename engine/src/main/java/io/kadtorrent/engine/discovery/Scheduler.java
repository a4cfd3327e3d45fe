package io.kadtorrent.engine.discovery;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks later on one thread: the only way discovery sees time, so tests drive it with a
 * virtual clock. Production wraps a single-threaded {@link ScheduledExecutorService} (a Netty
 * event loop is one).
 */
public interface Scheduler {

    /** A scheduled task that may still be cancelled. */
    interface Scheduled {
        void cancel();
    }

    /** Runs {@code task} on the scheduler's thread after {@code delay}. */
    Scheduled schedule(Duration delay, Runnable task);

    /** Runs {@code task} on the scheduler's thread as soon as possible. */
    default void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Adapts a single-threaded executor (tasks must not run concurrently). */
    static Scheduler of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            Future<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
