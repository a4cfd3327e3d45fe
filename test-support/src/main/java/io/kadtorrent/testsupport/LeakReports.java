package io.kadtorrent.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leaks {@link RecordingLeakDetector} reported and nobody has looked at yet, and the means to make Netty
 * report the ones waiting in its queues now rather than at some later allocation.
 */
public final class LeakReports {

    /**
     * Collections per {@link #collect()}. The JVM's one reference-handler thread enqueues what a collection
     * found in order, batch after batch: once the second collection's sentinel is out, everything the first
     * one freed is in Netty's queue.
     */
    private static final int COLLECTIONS = 2;
    private static final long COLLECTION_WAIT_MILLIS = 5_000;
    /** Below paranoid level Netty checks its queue on one allocation in about 128; this many make one likely. */
    private static final int ALLOCATIONS_BELOW_PARANOID = 1_024;

    private static final ConcurrentLinkedQueue<String> REPORTED = new ConcurrentLinkedQueue<>();
    /** Resources Netty began to track; a class that made none cannot have leaked one (so no collection is needed). */
    private static final AtomicLong TRACKED = new AtomicLong();
    private static long trackedAtLastCollect;

    private LeakReports() {
    }

    static void add(String report) {
        REPORTED.add(report);
    }

    static void tracked() {
        TRACKED.incrementAndGet();
    }

    /**
     * Collects garbage, lets Netty's buffer leak detector look at what was collected, and returns (and forgets)
     * every leak reported since the last call, from this class's tests or an earlier one's. Collects nothing
     * when Netty tracked no resource since the last call (most unit tests touch no buffer).
     */
    public static synchronized List<String> collect() throws InterruptedException {
        if (TRACKED.get() != trackedAtLastCollect) {
            for (int i = 0; i < COLLECTIONS; i++) {
                collectGarbage();
            }
            pokeBufferDetector();
            trackedAtLastCollect = TRACKED.get();
        }
        List<String> reports = new ArrayList<>();
        for (String r; (r = REPORTED.poll()) != null; ) {
            reports.add(r);
        }
        return reports;
    }

    /** One full collection, waited for: a sentinel dropped before it is enqueued once its references are processed. */
    private static void collectGarbage() throws InterruptedException {
        ReferenceQueue<Object> queue = new ReferenceQueue<>();
        WeakReference<Object> sentinel = new WeakReference<>(new Object(), queue);
        System.gc();
        queue.remove(COLLECTION_WAIT_MILLIS);
        sentinel.clear();
    }

    /** Netty reports a collected, unreleased buffer when the next buffer is tracked. */
    private static void pokeBufferDetector() {
        int allocations = ResourceLeakDetector.getLevel() == ResourceLeakDetector.Level.PARANOID ? 1 : ALLOCATIONS_BELOW_PARANOID;
        for (int i = 0; i < allocations; i++) {
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.buffer(1);
            b.release();
        }
    }
}
