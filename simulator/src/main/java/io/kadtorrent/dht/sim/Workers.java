package io.kadtorrent.dht.sim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of one {@link SimulatedNetwork#runUntil} call beside the caller's: thread t runs shards t, t + T,
 * t + 2T, ... of every window (the caller is thread 0). The caller releases a window by bumping a generation
 * number and goes on once every worker has counted itself finished. A window is often well under a millisecond
 * of work, so both sides spin briefly before parking: a parked thread takes tens of microseconds to wake.
 * Started per run and stopped when it returns, so no thread outlives a run.
 */
final class Workers implements AutoCloseable {

    private static final long SPIN_NANOS = 200_000;

    private final SimulatedNetwork network;
    private final SimulatedNetwork.Shard[] shards;
    private final int threads;
    private final Thread caller = Thread.currentThread();
    private final Thread[] started;
    private final AtomicInteger finished = new AtomicInteger();
    private volatile long generation; // windows released so far
    private volatile long windowEnd;
    private volatile boolean stop;
    private volatile Throwable failure;

    private Workers(SimulatedNetwork network, SimulatedNetwork.Shard[] shards, int threads) {
        this.network = network;
        this.shards = shards;
        this.threads = threads;
        this.started = new Thread[threads - 1];
    }

    /** Workers for {@code network}'s shards, or null when one thread runs them all. */
    static Workers start(SimulatedNetwork network, SimulatedNetwork.Shard[] shards, int threads) {
        int count = Math.min(threads, shards.length);
        if (count <= 1) {
            return null;
        }
        Workers w = new Workers(network, shards, count);
        for (int t = 1; t < count; t++) {
            int id = t;
            Thread thread = new Thread(() -> w.loop(id), "sim-shards-" + t);
            thread.setDaemon(true);
            w.started[t - 1] = thread;
            thread.start();
        }
        return w;
    }

    /** Runs one window on every thread; returns when all are done, throwing what any of them threw. */
    void runWindow(long endMillis) {
        windowEnd = endMillis;
        release();
        runShards(0);
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (finished.get() < threads - 1) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
            }
        }
        Throwable t = failure;
        if (t != null) {
            failure = null;
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(t);
        }
    }

    private void release() {
        finished.set(0);
        generation++; // only the caller writes it
        for (Thread t : started) {
            LockSupport.unpark(t);
        }
    }

    private void loop(int id) {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (generation == seen) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            seen = generation;
            if (stop) {
                return;
            }
            runShards(id);
            if (finished.incrementAndGet() == threads - 1) {
                LockSupport.unpark(caller);
            }
        }
    }

    private void runShards(int thread) {
        try {
            for (int s = thread; s < shards.length; s += threads) {
                network.runWindow(shards[s], windowEnd);
            }
        } catch (Throwable t) {
            failure = t; // the window's other shards still finish, so every thread counts itself finished
        }
    }

    @Override
    public void close() {
        stop = true;
        release();
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
