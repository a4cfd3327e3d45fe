package io.kadtorrent.engine.wire;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;

/**
 * A received block in a Netty buffer the decoder filled (one reference, owned by this object): the
 * disk writer reads it through {@link #bytes()} without another copy, and {@link #release()} hands the
 * buffer back to its allocator.
 */
public final class ByteBufBlock implements BlockData {

    private final ByteBuf buf;

    public ByteBufBlock(ByteBuf buf) {
        this.buf = buf;
    }

    @Override
    public ByteBuffer bytes() {
        return buf.nioBuffer(buf.readerIndex(), buf.readableBytes()).asReadOnlyBuffer();
    }

    @Override
    public int lengthBytes() {
        return buf.readableBytes();
    }

    @Override
    public void release() {
        buf.release();
    }

    @Override
    public String toString() {
        return "ByteBufBlock[" + buf.readableBytes() + " bytes]";
    }
}
