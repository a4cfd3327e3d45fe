package io.kadtorrent.engine.discovery;

import java.time.Duration;
import java.util.PriorityQueue;

/** A {@link Scheduler} on virtual time: tasks run only inside {@link #advance}, in time order, on the test thread. */
public final class ManualScheduler implements Scheduler {

    private static final int MAX_TASKS_PER_ADVANCE = 100_000;

    private final class Task implements Scheduled, Comparable<Task> {
        final Duration at;
        final long sequence;
        final Runnable runnable;
        boolean cancelled;

        Task(Duration at, long sequence, Runnable runnable) {
            this.at = at;
            this.sequence = sequence;
            this.runnable = runnable;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Task o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private Duration now = Duration.ZERO;
    private long sequence;

    @Override
    public Scheduled schedule(Duration delay, Runnable runnable) {
        Task task = new Task(now.plus(delay), sequence++, runnable);
        queue.add(task);
        return task;
    }

    /** Virtual time since the scheduler was made. */
    public Duration now() {
        return now;
    }

    /** Runs everything due now (including tasks those tasks schedule for now). */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves time forward by {@code by}, running every task that falls due, in order. */
    public void advance(Duration by) {
        Duration until = now.plus(by);
        for (int run = 0; run < MAX_TASKS_PER_ADVANCE; run++) {
            Task next = queue.peek();
            if (next == null || next.at.compareTo(until) > 0) {
                now = until;
                return;
            }
            queue.poll();
            now = next.at;
            if (!next.cancelled) {
                next.runnable.run();
            }
        }
        throw new IllegalStateException("more than " + MAX_TASKS_PER_ADVANCE + " tasks in one advance: a loop?");
    }

    /** Live (not cancelled) tasks still waiting. */
    long pending() {
        return queue.stream().filter(t -> !t.cancelled).count();
    }
}
