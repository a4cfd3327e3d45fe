package io.kadtorrent.engine.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of one received block, with one owner at a time: whoever holds it reads {@link #bytes()}
 * and calls {@link #release()} exactly once (the disk writer after writing it, the swarm core when it
 * drops it). The network runtime backs it with a pooled direct buffer; tests and the simulator with a
 * plain array. Not thread-safe; ownership moves with the object.
 */
public interface BlockData {

    /** A read-only view of the block (position to limit); valid until {@link #release()}. */
    ByteBuffer bytes();

    int lengthBytes();

    /** Gives the bytes back to where they came from. */
    void release();

    /** A block over a copy of {@code bytes}, for tests and tools; release does nothing. */
    static BlockData copyOf(byte[] bytes) {
        return new HeapBlock(bytes.clone());
    }

    /** A block on the heap; nothing to give back. */
    record HeapBlock(byte[] array) implements BlockData {
        @Override
        public ByteBuffer bytes() {
            return ByteBuffer.wrap(array).asReadOnlyBuffer();
        }

        @Override
        public int lengthBytes() {
            return array.length;
        }

        @Override
        public void release() {
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HeapBlock h && Arrays.equals(array, h.array);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(array);
        }

        @Override
        public String toString() {
            return "HeapBlock[" + array.length + " bytes]";
        }
    }
}
