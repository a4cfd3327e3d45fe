package io.kadtorrent.engine.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The stand-in for a file that is never on disk (a BEP 47 padding file, a symlink entry): reads give zeros,
 * writes are dropped (a piece with anything else there fails its hash anyway), and it sends zeros where a
 * real file would send its bytes, so the store's I/O paths need no special case.
 */
final class ZeroChannel extends FileChannel {

    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(16 * 1024).asReadOnlyBuffer();
    private final long size;

    ZeroChannel(long size) {
        this.size = size;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        if (position >= size) {
            return -1;
        }
        int n = (int) Math.min(dst.remaining(), size - position);
        for (int i = 0; i < n; i++) {
            dst.put((byte) 0);
        }
        return n;
    }

    @Override
    public int write(ByteBuffer src, long position) {
        int n = src.remaining();
        src.position(src.limit());
        return n;
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        long n = Math.max(0, Math.min(count, size - position));
        long sent = 0;
        while (sent < n) {
            ByteBuffer chunk = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), n - sent));
            int w = target.write(chunk);
            if (w == 0) {
                break; // a non-blocking target is full; the caller comes back for the rest
            }
            sent += w;
        }
        return sent;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void force(boolean metaData) {
        // nothing is ever written
    }

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException("positional reads only");
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException("positional reads only");
    }

    @Override
    public int write(ByteBuffer src) {
        throw new UnsupportedOperationException("positional writes only");
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new UnsupportedOperationException("positional writes only");
    }

    @Override
    public long position() {
        return 0;
    }

    @Override
    public FileChannel position(long newPosition) {
        return this;
    }

    @Override
    public FileChannel truncate(long newSize) {
        return this;
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new UnsupportedOperationException("never written");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException("not a file");
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("not a file");
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException("not a file");
    }

    @Override
    protected void implCloseChannel() {
        // holds nothing
    }
}
