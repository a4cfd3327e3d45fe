package io.kadtorrent.engine.session;

import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.wire.BlockData;
import io.kadtorrent.engine.wire.BlockRequest;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes received blocks and hashes completed pieces on one dedicated thread, so the event loops
 * never wait for the disk. One thread keeps each piece's writes before its verification. Results go
 * back to the torrent as events on its queue, never as calls into its core. When more than
 * {@link #HIGH_WATER_BYTES} wait, the torrents that write are told to stop requesting until the
 * backlog falls below {@link #LOW_WATER_BYTES}: memory stays bounded however fast the network is.
 */
public final class DiskWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiskWriter.class);
    static final long HIGH_WATER_BYTES = 64L << 20;
    static final long LOW_WATER_BYTES = 16L << 20;

    private final ExecutorService thread = daemonThread("kadtorrent-disk");
    /** Jobs in order; one drain task at a time runs them, so a busy writer costs no wake-up per block. */
    private final Queue<Runnable> jobs = new ConcurrentLinkedQueue<>();
    /**
     * Writes of pieces a reader waits for (a stream): run before the jobs above, so a backlog of other
     * writes does not hold the reader up. A piece's blocks are all in one lane, so they stay in order; a
     * job of the other lane (a resume save, closing a store) still runs after every urgent write queued
     * before it, since this lane is always emptied first.
     */
    private final Queue<Runnable> urgentJobs = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final Set<Events> waiting = ConcurrentHashMap.newKeySet();

    /** Where a torrent hears about its writes; called on the disk thread (or the writing thread), must not block. */
    interface Events {
        void pieceChecked(int pieceIndex, boolean ok);

        void failed(String reason);

        /** The writer's queue went over its high-water mark ({@code true}) or back under its low one. */
        void backlogged(boolean over);
    }

    public DiskWriter() {
    }

    private static ExecutorService daemonThread(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** True when the backlog is over the high-water mark. */
    boolean isBacklogged() {
        return pendingBytes.get() > HIGH_WATER_BYTES;
    }

    /**
     * Queues {@code data} as block {@code block} of {@code store}, then the piece's verification when
     * {@code verifyPiece}, reporting the result to {@code torrent}. Takes over {@code data}: it is released
     * once written, on every path, failures included, or when the writer is closed before it runs.
     */
    void write(Events torrent, PieceStore store, BlockRequest block, BlockData data, boolean verifyPiece) {
        write(torrent, store, block, data, verifyPiece, false);
    }

    /** As above; {@code urgent} writes pass the others (see {@link #urgentJobs}). */
    void write(Events torrent, PieceStore store, BlockRequest block, BlockData data, boolean verifyPiece,
               boolean urgent) {
        if (pendingBytes.addAndGet(data.lengthBytes()) > HIGH_WATER_BYTES && waiting.add(torrent)) {
            torrent.backlogged(true);
        }
        BlockWrite job = new BlockWrite(torrent, store, block, data, verifyPiece);
        if (urgent) {
            urgentJobs.add(job);
            submit(null);
        } else {
            submit(job);
        }
    }

    /** One queued block: written, then its piece verified when it was the last block. Owns {@code data}. */
    private final class BlockWrite implements Runnable {
        private final Events torrent;
        private final PieceStore store;
        private final BlockRequest block;
        private final BlockData data;
        private final boolean verifyPiece;

        BlockWrite(Events torrent, PieceStore store, BlockRequest block, BlockData data, boolean verifyPiece) {
            this.torrent = torrent;
            this.store = store;
            this.block = block;
            this.data = data;
            this.verifyPiece = verifyPiece;
        }

        @Override
        public void run() {
            int length = data.lengthBytes();
            try {
                store.writeBlock(block.pieceIndex(), block.begin(), data.bytes());
                if (verifyPiece) {
                    torrent.pieceChecked(block.pieceIndex(), store.verifyPiece(block.pieceIndex()));
                }
            } catch (IOException | RuntimeException e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                torrent.failed(reason);
            } finally {
                data.release();
                written(length);
            }
        }

        /** Releases the block of a write that will never run. */
        void discard() {
            pendingBytes.addAndGet(-data.lengthBytes());
            data.release();
        }
    }

    private void written(int length) {
        if (pendingBytes.addAndGet(-length) < LOW_WATER_BYTES && !waiting.isEmpty()) {
            for (Events t : waiting) {
                waiting.remove(t);
                t.backlogged(false);
            }
        }
    }

    /** Saves {@code store}'s resume data after every queued write, forced to disk or not (see PieceStore). */
    void saveResume(PieceStore store, InfoHash infoHash, boolean forced) {
        submit(() -> {
            try {
                store.saveResume(forced);
            } catch (IOException e) {
                log.warn("{}: cannot save resume data: {}", infoHash.shortHex(), e.getMessage());
            }
        });
    }

    /** Runs {@code job} on the disk thread after every write queued before it (e.g. closing a store). */
    void afterQueuedWrites(Runnable job) {
        submit(job);
    }

    /** Queues {@code job} (null: only wakes the drain, for a job already in the urgent lane). */
    private void submit(Runnable job) {
        if (job != null) {
            jobs.add(job);
        }
        if (draining.compareAndSet(false, true)) {
            try {
                thread.execute(this::drain);
            } catch (RejectedExecutionException e) {
                draining.set(false);
                discardQueued(); // closed: the session stopped the network first, so this is a late straggler
            }
        }
    }

    /** Drops queued jobs that will never run, releasing the blocks they hold. */
    private void discardQueued() {
        for (Runnable job = urgentJobs.poll(); job != null; job = urgentJobs.poll()) {
            ((BlockWrite) job).discard();
        }
        for (Runnable job = jobs.poll(); job != null; job = jobs.poll()) {
            if (job instanceof BlockWrite w) {
                w.discard();
            }
        }
    }

    private void drain() {
        while (true) {
            for (Runnable job = next(); job != null; job = next()) {
                job.run();
            }
            draining.set(false);
            // a job added after the last poll but before the reset would otherwise wait forever
            if ((jobs.isEmpty() && urgentJobs.isEmpty()) || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private Runnable next() {
        Runnable urgent = urgentJobs.poll();
        return urgent != null ? urgent : jobs.poll();
    }

    /** Finishes every queued write, then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(60, TimeUnit.SECONDS)) {
                log.error("disk writes still pending after 60 s");
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // keep the flag; the writes finish on their own thread
            return;
        }
        discardQueued(); // only after a forced stop can jobs be left
    }
}
