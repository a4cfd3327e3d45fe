package io.kadtorrent.engine.wire;

import java.nio.ByteBuffer;

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

    /**
     * A block over a copy of {@code bytes}, for tests and tools; release does nothing. Blocks compare by
     * their bytes where it matters ({@link PeerMessage.Piece#equals}).
     */
    static BlockData copyOf(byte[] bytes) {
        ByteBuffer copy = ByteBuffer.wrap(bytes.clone()).asReadOnlyBuffer();
        return new BlockData() {
            @Override
            public ByteBuffer bytes() {
                return copy.duplicate();
            }

            @Override
            public int lengthBytes() {
                return copy.remaining();
            }

            @Override
            public void release() {
            }

            @Override
            public String toString() {
                return "BlockData[" + copy.remaining() + " bytes on the heap]";
            }
        };
    }
}
