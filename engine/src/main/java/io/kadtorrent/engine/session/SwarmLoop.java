package io.kadtorrent.engine.session;

import io.kadtorrent.engine.swarm.PeerLink;
import io.kadtorrent.engine.swarm.SwarmAction;
import io.kadtorrent.engine.swarm.SwarmCore;
import io.kadtorrent.engine.wire.PeerMessage;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs one {@link SwarmCore} on one Netty event loop: inputs from any thread go into one queue, which is
 * drained on the loop, one event at a time, each followed by the actions the core queued; the core's
 * timer is one scheduled task, moved whenever {@link SwarmCore#nextTimerMillis} moves earlier. Events
 * are never applied inline, so a connection's callback never sees its own sends. After the loop has shut
 * down, events are dropped (a received block is released).
 */
final class SwarmLoop {

    private static final Logger log = LoggerFactory.getLogger(SwarmLoop.class);

    /** One input for the core, applied on the loop at time {@code now}. */
    @FunctionalInterface
    interface Event {
        void apply(SwarmCore core, long now);
    }

    /** A peer's message; kept apart from other events so its block can be released if it is never applied. */
    record Received(PeerLink link, PeerMessage message) implements Event {
        @Override
        public void apply(SwarmCore core, long now) {
            core.peerMessage(now, link, message);
        }

        void discard() {
            message.release();
        }
    }

    private final EventLoop loop;
    private final SwarmCore core;
    private final Consumer<SwarmAction> performer;
    private final Runnable afterTimer;
    private final Runnable afterDrain;
    private final Queue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean dead;
    private ScheduledFuture<?> timer; // the loop's own, as is the rest below
    private long timerAt = Long.MAX_VALUE;
    private boolean stopped;

    /**
     * {@code performer} carries out each action; {@code afterDrain} runs on the loop once the queue is
     * empty (to hand batched work to other loops); {@code afterTimer} after each timer event.
     */
    SwarmLoop(EventLoop loop, SwarmCore core, Consumer<SwarmAction> performer, Runnable afterDrain,
              Runnable afterTimer) {
        this.loop = loop;
        this.core = core;
        this.performer = performer;
        this.afterTimer = afterTimer;
        this.afterDrain = afterDrain;
    }

    EventLoop loop() {
        return loop;
    }

    static long now() {
        return System.nanoTime() / 1_000_000;
    }

    /** Queues {@code event} for the core and makes sure a drain runs on the loop. */
    void post(Event event) {
        if (dead) {
            discard(event);
            return;
        }
        events.add(event);
        if (draining.compareAndSet(false, true)) {
            try {
                loop.execute(this::drain);
            } catch (RejectedExecutionException closed) {
                dead = true; // the session shut its event loops down: nothing will apply events any more
                for (Event e = events.poll(); e != null; e = events.poll()) {
                    discard(e);
                }
            }
        }
    }

    /** Stops the timer; events still reach the core (which ignores what no longer concerns it). */
    void stopTimer() {
        post((c, now) -> {
            stopped = true;
            if (timer != null) {
                timer.cancel(false);
            }
        });
    }

    private static void discard(Event e) {
        if (e instanceof Received r) {
            r.discard();
        }
    }

    private void drain() {
        while (true) {
            for (Event e = events.poll(); e != null; e = events.poll()) {
                try {
                    e.apply(core, now());
                    for (SwarmAction a = core.poll(); a != null; a = core.poll()) {
                        performer.accept(a);
                    }
                } catch (RuntimeException ex) {
                    log.error("{}: swarm event failed", core.infoHash().shortHex(), ex);
                }
            }
            afterDrain.run();
            draining.set(false);
            // an event added after the last poll but before the reset would otherwise wait forever
            if (events.isEmpty() || !draining.compareAndSet(false, true)) {
                break;
            }
        }
        scheduleTimer();
    }

    private void scheduleTimer() {
        if (stopped) {
            return;
        }
        long next = core.nextTimerMillis();
        if (timer != null && next >= timerAt) {
            return;
        }
        if (timer != null) {
            timer.cancel(false);
        }
        timerAt = next;
        try {
            timer = loop.schedule(() -> {
                timer = null;
                timerAt = Long.MAX_VALUE;
                post((c, now) -> {
                    c.timer(now);
                    afterTimer.run();
                });
            }, Math.max(0, next - now()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            timer = null;
            timerAt = Long.MAX_VALUE;
        }
    }
}
