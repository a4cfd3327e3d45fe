package io.kadtorrent.dht.node;

import io.kadtorrent.dht.engine.DhtEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Drives one {@link DhtEngine} on its thread: each input runs at the clock's current time, and after
 * each one exactly one timer is armed for the engine's next deadline ({@link DhtEngine#nextTimerMillis}),
 * since any input may bring it forward. When that timer fires it calls {@link DhtEngine#onTimer}.
 * Engine-thread only: every method must run on the thread the scheduler runs tasks on.
 */
final class EngineDriver {

    private static final Logger log = LoggerFactory.getLogger(EngineDriver.class);

    /** Runs a task once after a delay on the engine's thread (the node's event loop; a fake in tests). */
    @FunctionalInterface
    interface Scheduler {
        Future<?> schedule(Runnable task, long delayMillis);
    }

    private final DhtEngine engine;
    private final LongSupplier clock;
    private final Scheduler scheduler;
    private Future<?> armed;
    private long armedForMillis = Long.MAX_VALUE; // Long.MAX_VALUE: nothing armed
    private boolean stopped;

    EngineDriver(DhtEngine engine, LongSupplier clock, Scheduler scheduler) {
        this.engine = engine;
        this.clock = clock;
        this.scheduler = scheduler;
    }

    /** Gives the engine one input ({@code work} gets the current time), then re-arms the timer. */
    void input(LongConsumer work) {
        try {
            work.accept(clock.getAsLong());
        } finally {
            rearm();
        }
    }

    private void rearm() {
        long deadline = stopped ? Long.MAX_VALUE : engine.nextTimerMillis();
        if (deadline == armedForMillis) {
            return;
        }
        if (armed != null) {
            armed.cancel(false);
            armed = null;
        }
        armedForMillis = deadline;
        if (deadline != Long.MAX_VALUE) {
            armed = scheduler.schedule(this::fire, Math.max(0, deadline - clock.getAsLong()));
        }
    }

    private void fire() {
        armed = null;
        armedForMillis = Long.MAX_VALUE;
        input(now -> {
            try {
                engine.onTimer(now);
            } catch (RuntimeException e) { // our bug; timeouts, expiry and refresh must keep running anyway
                log.error("dht timer failed; continuing", e);
            }
        });
    }

    /** Cancels the timer for good; later inputs still run but arm nothing. */
    void stop() {
        stopped = true;
        rearm();
    }

    /** The deadline the timer is armed for, {@link Long#MAX_VALUE} if none. */
    long armedForMillis() {
        return armedForMillis;
    }
}
