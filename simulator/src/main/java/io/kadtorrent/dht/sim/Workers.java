package io.kadtorrent.dht.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;

/**
 * The threads of one {@link SimulatedNetwork#runUntil} call beside the caller's: thread t runs shards t, t + T,
 * t + 2T, ... of every window (the caller is thread 0). Two barriers a window: all start it together, and the
 * caller goes on only when all have finished it. Started per run and stopped when it returns, so no thread
 * outlives a run.
 */
final class Workers implements AutoCloseable {

    private final SimulatedNetwork network;
    private final SimulatedNetwork.Shard[] shards;
    private final int threads;
    private final CyclicBarrier start;
    private final CyclicBarrier end;
    private final List<Thread> started = new ArrayList<>();
    private volatile long windowEnd;
    private volatile boolean stop;
    private volatile Throwable failure;

    private Workers(SimulatedNetwork network, SimulatedNetwork.Shard[] shards, int threads) {
        this.network = network;
        this.shards = shards;
        this.threads = threads;
        this.start = new CyclicBarrier(threads);
        this.end = new CyclicBarrier(threads);
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
            w.started.add(thread);
            thread.start();
        }
        return w;
    }

    /** Runs one window on every thread; returns when all are done, throwing what any of them threw. */
    void runWindow(long endMillis) {
        windowEnd = endMillis;
        await(start);
        runShards(0);
        await(end);
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

    private void loop(int id) {
        while (true) {
            await(start);
            if (stop) {
                return;
            }
            runShards(id);
            await(end);
        }
    }

    private void runShards(int thread) {
        try {
            for (int s = thread; s < shards.length; s += threads) {
                network.runWindow(shards[s], windowEnd);
            }
        } catch (Throwable t) {
            failure = t; // the window's other shards still finish, so every thread meets at the end barrier
        }
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between windows", e);
        } catch (BrokenBarrierException e) {
            throw new IllegalStateException("a shard thread stopped", e);
        }
    }

    @Override
    public void close() {
        stop = true;
        await(start);
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
