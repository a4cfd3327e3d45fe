package io.kadtorrent.engine.sim;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;

import java.util.ArrayList;
import java.util.List;

/**
 * Allocates the decoders' block buffers and keeps them, so a simulation can assert at its end that every
 * received block was released (by the store after writing it, or by the core when it dropped it) without
 * waiting for the leak detector's garbage collection.
 */
final class CountingAllocator extends AbstractByteBufAllocator {

    private final List<ByteBuf> allocated = new ArrayList<>();

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return keep(UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        return keep(UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity));
    }

    private ByteBuf keep(ByteBuf buf) {
        allocated.removeIf(b -> b.refCnt() == 0 && allocated.size() > 4096); // stay small in long runs
        allocated.add(buf);
        return buf;
    }

    /** Buffers handed out and not yet released. */
    long unreleased() {
        return allocated.stream().filter(b -> b.refCnt() > 0).count();
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }
}
