package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.discovery.Scheduler;

import java.time.Duration;

/**
 * A {@link Scheduler} on a swarm simulation's virtual time: each task is an event of its {@link EventQueue},
 * run on the simulation thread in time order, so the production peer sources run unchanged inside it.
 */
final class EventQueueScheduler implements Scheduler {

    private final EventQueue events;

    EventQueueScheduler(EventQueue events) {
        this.events = events;
    }

    @Override
    public Scheduled schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        events.at(events.now() + delay.toMillis(), () -> {
            if (!cancelled[0]) {
                task.run();
            }
        });
        return () -> cancelled[0] = true;
    }
}
