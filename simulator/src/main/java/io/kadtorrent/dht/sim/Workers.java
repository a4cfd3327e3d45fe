package io.kadtorrent.dht.sim;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads of one {@link SimulatedNetwork#runUntil} call beside the caller's. Each window, every thread (the
 * caller among them) claims shards one at a time until none is left, so a thread the machine holds back (other
 * processes, a slow shard) leaves its share to the others instead of stalling the window; which thread runs a
 * shard never changes the outcome. The caller goes on once every shard has finished. A window is often well under
 * a millisecond of work, so waiting threads spin briefly before parking: a parked thread takes tens of
 * microseconds to wake. Started per run and stopped when it returns, so no thread outlives a run.
 */
final class Workers implements AutoCloseable {

    private static final long SPIN_NANOS = 100_000;
    private static final int INDEX_BITS = 20; // claims: window number above, next shard index in the low bits

    private final SimulatedNetwork network;
    private final Shard[] shards;
    private final Thread caller = Thread.currentThread();
    private final Thread[] started;
    private final AtomicLong claims = new AtomicLong(); // (window << INDEX_BITS) | next unclaimed shard
    private final AtomicInteger finished = new AtomicInteger(); // shards finished in the current window
    private volatile long windowEnd;
    private volatile boolean stop;
    private volatile Throwable failure;

    private Workers(SimulatedNetwork network, Shard[] shards, int threads) {
        this.network = network;
        this.shards = shards;
        this.started = new Thread[threads - 1];
    }

    /** Workers for {@code network}'s shards, or null when one thread runs them all. */
    static Workers start(SimulatedNetwork network, Shard[] shards, int threads) {
        int count = Math.min(threads, shards.length);
        if (count <= 1) {
            return null;
        }
        if (shards.length >= 1 << INDEX_BITS) {
            throw new IllegalArgumentException("too many shards: " + shards.length);
        }
        Workers w = new Workers(network, shards, count);
        for (int t = 1; t < count; t++) {
            Thread thread = new Thread(w::loop, "sim-shards-" + t);
            thread.setDaemon(true);
            w.started[t - 1] = thread;
            thread.start();
        }
        return w;
    }

    /** Runs one window on every thread; returns when all shards are done, throwing what any of them threw. */
    void runWindow(long endMillis) {
        windowEnd = endMillis;
        finished.set(0);
        long window = (claims.get() >>> INDEX_BITS) + 1;
        claims.set(window << INDEX_BITS); // only the caller starts windows
        for (Thread t : started) {
            LockSupport.unpark(t);
        }
        runClaimed(window);
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (finished.get() < shards.length) {
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

    private void loop() {
        long seen = 0;
        while (true) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            long window;
            while ((window = claims.get() >>> INDEX_BITS) == seen && !stop) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(this);
                }
            }
            if (stop) {
                return;
            }
            seen = window;
            runClaimed(window);
        }
    }

    /** Claims and runs shards of {@code window} until none is left (or that window is over). */
    private void runClaimed(long window) {
        while (true) {
            long c = claims.get();
            int next = (int) (c & ((1 << INDEX_BITS) - 1));
            if (c >>> INDEX_BITS != window || next >= shards.length) {
                return;
            }
            if (!claims.compareAndSet(c, c + 1)) {
                continue;
            }
            try {
                network.runWindow(shards[next], windowEnd); // the window cannot end while this shard is unfinished
            } catch (Throwable t) {
                failure = t; // the other shards still finish, so the window ends
            }
            if (finished.incrementAndGet() == shards.length && Thread.currentThread() != caller) {
                LockSupport.unpark(caller);
            }
        }
    }

    @Override
    public void close() {
        stop = true;
        for (Thread t : started) {
            LockSupport.unpark(t);
        }
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
