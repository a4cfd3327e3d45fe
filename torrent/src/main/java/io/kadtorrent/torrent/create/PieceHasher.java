package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Computes the SHA-1 of every piece (BEP 3 {@code info.pieces}) of a list of files with N threads.
 *
 * <p>Each thread claims the next unhashed piece and hashes it straight from a memory map of the
 * file (no copy into a buffer, no hand-off between threads). Address space is bounded by threads
 * x window whatever the size of the files; files are streamed, never loaded whole. Pieces are
 * claimed in order, so reads stay nearly sequential.
 */
final class PieceHasher {

    private static final long WARM_UP_ABOVE_BYTES = 64L << 20;
    private static final int WARM_UP_CALLS = 10_000;
    private static final long WINDOW_BYTES = 64L << 20;

    /** The warm-up started by {@link #warmUpInBackground()}, or null if none was. */
    private static Future<?> backgroundWarmUp;

    private final List<SourceFile> files;
    private final PieceLayout layout;
    private final LongConsumer progress;
    private final long windowBytes;
    private final byte[] hashes;
    private final AtomicInteger nextPiece = new AtomicInteger();
    private final AtomicLong hashedBytes = new AtomicLong();

    private PieceHasher(List<SourceFile> files, int pieceLengthBytes, long windowBytes, LongConsumer progress) {
        this.files = List.copyOf(files);
        this.layout = PieceLayout.ofLengths(files.stream().mapToLong(SourceFile::lengthBytes).toArray(),
                pieceLengthBytes);
        this.progress = progress;
        this.windowBytes = Math.max(windowBytes, pieceLengthBytes); // a window holds any span of a piece
        this.hashes = new byte[Math.multiplyExact(layout.pieceCount(), InfoHash.LENGTH)];
    }

    /**
     * The concatenated piece hashes of {@code files}. {@code progress} receives the running total
     * of bytes hashed; it is called from the hashing threads, so it must be thread-safe.
     */
    static byte[] hash(List<SourceFile> files, int pieceLengthBytes, int threads, LongConsumer progress)
            throws IOException {
        return hash(files, pieceLengthBytes, threads, progress, WINDOW_BYTES);
    }

    /** As above with memory-map windows of {@code windowBytes} (at least one piece); for tests. */
    static byte[] hash(List<SourceFile> files, int pieceLengthBytes, int threads, LongConsumer progress,
                       long windowBytes) throws IOException {
        return new PieceHasher(files, pieceLengthBytes, windowBytes, progress).run(threads);
    }

    private byte[] run(int threads) throws IOException {
        int workers = Math.max(1, Math.min(threads, layout.pieceCount()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "piece-hasher");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                running.add(pool.submit(this::hashClaimedPieces));
            }
            for (Future<?> f : running) {
                f.get();
            }
            return hashes;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            throw new IllegalStateException("piece hashing failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while hashing pieces", e);
        } finally {
            nextPiece.set(Integer.MAX_VALUE / 2); // stop the other workers after a failure
            pool.shutdownNow();
        }
    }

    private Void hashClaimedPieces() {
        MessageDigest sha1 = newSha1();
        if (layout.totalBytes() >= WARM_UP_ABOVE_BYTES) {
            Future<?> warming = startedWarmUp();
            if (warming == null) {
                warmUp(sha1);
            } else {
                awaitWarmUp(warming);
            }
        }
        try (MappedFile mapped = new MappedFile()) {
            for (int piece = nextPiece.getAndIncrement(); piece < layout.pieceCount();
                 piece = nextPiece.getAndIncrement()) {
                for (FileSpan span : layout.spansOfPiece(piece)) {
                    sha1.update(mapped.bytes(span)); // read before the next call may unmap them
                }
                sha1.digest(hashes, piece * InfoHash.LENGTH, InfoHash.LENGTH);
                progress.accept(hashedBytes.addAndGet(layout.pieceSize(piece)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InternalError e) {
            // how the JVM reports a page of a mapped file that was truncated under it (SIGBUS)
            throw new UncheckedIOException(new IOException(
                    "a file changed size while it was being hashed: " + e.getMessage(), e));
        } catch (DigestException e) {
            throw new IllegalStateException("20 bytes always hold a SHA-1", e);
        }
        return null;
    }

    /**
     * The JIT only uses the CPU's SHA instructions once the digest code is compiled by C2, which
     * happens after thousands of calls; until then SHA-1 runs 10-15x slower. Thousands of small
     * updates through the same path as real pieces (a direct buffer, several blocks per call;
     * about 2.5 MB, a few ms) get it compiled before the first piece instead of after tens of MiB.
     */
    private static void warmUp(MessageDigest sha1) {
        ByteBuffer blocks = ByteBuffer.allocateDirect(256); // four SHA-1 blocks
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            blocks.clear();
            sha1.update(blocks);
        }
        sha1.reset();
    }

    /**
     * Starts {@link #warmUp} on a daemon thread, once per JVM, so that a command line tool can
     * overlap it with its own start-up (argument parsing on a cold JVM takes longer than the
     * warm-up); hashing that starts later waits for it instead of warming up again.
     */
    static synchronized void warmUpInBackground() {
        if (backgroundWarmUp == null) {
            FutureTask<Void> task = new FutureTask<>(() -> warmUp(newSha1()), null);
            Thread thread = new Thread(task, "sha1-warm-up");
            thread.setDaemon(true);
            thread.start();
            backgroundWarmUp = task;
        }
    }

    private static synchronized Future<?> startedWarmUp() {
        return backgroundWarmUp;
    }

    /** The warm-up is a bounded loop over an in-memory buffer: waiting for it always ends. */
    private static void awaitWarmUp(Future<?> warming) {
        try {
            warming.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("SHA-1 warm-up failed", e.getCause());
        }
    }

    /**
     * The one file a worker is reading, seen through a memory-mapped window of up to
     * {@link #windowBytes} ({@link #WINDOW_BYTES} or one piece, if larger). Hashing the page cache in place saves the
     * copy a {@code read} makes, about a tenth of the CPU time of hashing. Each window is unmapped
     * as soon as the worker moves past it, so address space stays bounded by threads x window.
     * Pieces are claimed in order, so a window serves many pieces before it is replaced.
     */
    private final class MappedFile implements AutoCloseable {
        private int index = -1;
        private FileChannel channel;
        private MappedByteBuffer window;
        private long windowStart;

        /** The bytes of {@code span}, valid until the next call or {@link #close}. */
        ByteBuffer bytes(FileSpan span) throws IOException {
            if (span.fileIndex() != index) {
                close();
                channel = FileChannel.open(files.get(span.fileIndex()).file(), StandardOpenOption.READ);
                index = span.fileIndex();
            }
            long end = span.fileOffset() + span.lengthBytes();
            if (window == null || span.fileOffset() < windowStart || end > windowStart + window.capacity()) {
                unmapWindow();
                long fileBytes = channel.size();
                if (end > fileBytes) {
                    throw new IOException(files.get(span.fileIndex()).file()
                            + " became shorter while it was being hashed");
                }
                windowStart = span.fileOffset();
                window = channel.map(FileChannel.MapMode.READ_ONLY, windowStart,
                        Math.min(fileBytes - windowStart, windowBytes));
            }
            return window.slice((int) (span.fileOffset() - windowStart), span.lengthBytes());
        }

        private void unmapWindow() {
            if (window != null) {
                Unmapper.unmap(window);
                window = null;
            }
        }

        @Override
        public void close() throws IOException {
            unmapWindow();
            if (channel != null) {
                channel.close();
                channel = null;
                index = -1;
            }
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }
}
