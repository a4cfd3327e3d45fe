package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * Computes the SHA-1 of every piece (BEP 3 {@code info.pieces}) of a list of files with N threads.
 *
 * <p>Each thread claims the next unhashed piece, reads it with positional reads straight into
 * its own direct buffer (one kernel copy, no hand-off between threads) and hashes it. Memory is
 * bounded by threads x piece length whatever the size of the files; files are streamed, never
 * loaded whole. Pieces are claimed in order, so reads stay nearly sequential.
 */
final class PieceHasher {

    private static final long WARM_UP_ABOVE_BYTES = 64L << 20;
    private static final int WARM_UP_CALLS = 10_000;

    private final List<SourceFile> files;
    private final PieceLayout layout;
    private final LongConsumer progress;
    private final byte[] hashes;
    private final AtomicInteger nextPiece = new AtomicInteger();
    private final AtomicLong hashedBytes = new AtomicLong();

    private PieceHasher(List<SourceFile> files, int pieceLengthBytes, LongConsumer progress) {
        this.files = List.copyOf(files);
        this.layout = PieceLayout.ofLengths(files.stream().mapToLong(SourceFile::lengthBytes).toArray(),
                pieceLengthBytes);
        this.progress = progress;
        this.hashes = new byte[Math.multiplyExact(layout.pieceCount(), InfoHash.LENGTH)];
    }

    /**
     * The concatenated piece hashes of {@code files}. {@code progress} receives the running total
     * of bytes hashed; it is called from the hashing threads, so it must be thread-safe.
     */
    static byte[] hash(List<SourceFile> files, int pieceLengthBytes, int threads, LongConsumer progress)
            throws IOException {
        return new PieceHasher(files, pieceLengthBytes, progress).run(threads);
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
            warmUp(sha1);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(layout.pieceLengthBytes());
        try (OpenFile open = new OpenFile()) {
            for (int piece = nextPiece.getAndIncrement(); piece < layout.pieceCount();
                 piece = nextPiece.getAndIncrement()) {
                buffer.clear();
                for (FileSpan span : layout.spansOfPiece(piece)) {
                    readFully(open.channel(span.fileIndex()), buffer, span);
                }
                buffer.flip();
                sha1.update(buffer);
                sha1.digest(hashes, piece * InfoHash.LENGTH, InfoHash.LENGTH);
                progress.accept(hashedBytes.addAndGet(layout.pieceSize(piece)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

    private void readFully(FileChannel channel, ByteBuffer buffer, FileSpan span) throws IOException {
        buffer.limit(buffer.position() + span.lengthBytes());
        long position = span.fileOffset();
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new IOException(files.get(span.fileIndex()).file()
                        + " became shorter while it was being hashed");
            }
            position += n;
        }
    }

    /** The one file a worker is reading; pieces are claimed in order, so it rarely changes. */
    private final class OpenFile implements AutoCloseable {
        private int index = -1;
        private FileChannel channel;

        FileChannel channel(int fileIndex) throws IOException {
            if (fileIndex != index) {
                close();
                channel = FileChannel.open(files.get(fileIndex).file(), StandardOpenOption.READ);
                index = fileIndex;
            }
            return channel;
        }

        @Override
        public void close() throws IOException {
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
