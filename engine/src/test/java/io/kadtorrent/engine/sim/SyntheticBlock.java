package io.kadtorrent.engine.sim;

import io.kadtorrent.engine.wire.BlockData;
import io.kadtorrent.engine.wire.BlockRequest;

import java.nio.ByteBuffer;

/**
 * A received block whose bytes are never made ({@link Transport#BULK}): it names the block whose true
 * bytes it stands for ({@code content}) and whether they were corrupted, which is all {@link SimStore}
 * needs to say what a SHA-1 over the real bytes would. {@link #bytes()} is a shared read-only buffer of
 * zeros of the right length; nothing to release.
 */
record SyntheticBlock(BlockRequest content, boolean corrupt) implements BlockData {

    private static final ByteBuffer ZEROS = ByteBuffer.allocate(BlockRequest.BLOCK_SIZE).asReadOnlyBuffer();

    @Override
    public ByteBuffer bytes() {
        return ZEROS.slice(0, content.lengthBytes());
    }

    @Override
    public int lengthBytes() {
        return content.lengthBytes();
    }

    @Override
    public void release() {
    }

    /** True when these stand for exactly the bytes of {@code block}. */
    boolean matches(BlockRequest block) {
        return !corrupt && content.equals(block);
    }
}
