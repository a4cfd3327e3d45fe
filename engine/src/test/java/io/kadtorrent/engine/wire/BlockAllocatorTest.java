package io.kadtorrent.engine.wire;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockAllocatorTest {

    private static final int BLOCK = BlockRequest.BLOCK_SIZE;

    @Test
    void aReleasedBlockIsReusedEmpty() {
        BlockAllocator blocks = new BlockAllocator(8);
        ByteBuf first = blocks.directBuffer(BLOCK, BLOCK);
        first.writeBytes(new byte[BLOCK]);
        first.release();
        assertEquals(1, blocks.freeBlocks());
        ByteBuf again = blocks.directBuffer(BLOCK, BLOCK);
        assertEquals(0, blocks.freeBlocks(), "taken from the free list");
        assertEquals(0, again.readableBytes(), "a reused block starts empty");
        assertEquals(BLOCK, again.writableBytes());
        assertTrue(again.isDirect());
        again.writeInt(42);
        assertEquals(42, again.readInt());
        again.release();
    }

    @Test
    void keepsNoMoreThanItsCap() {
        BlockAllocator blocks = new BlockAllocator(2);
        List<ByteBuf> taken = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            taken.add(blocks.directBuffer(BLOCK, BLOCK));
        }
        taken.forEach(ByteBuf::release);
        assertEquals(2, blocks.freeBlocks());
    }

    @Test
    void otherSizesAreNotPooled() {
        BlockAllocator blocks = new BlockAllocator(8);
        ByteBuf last = blocks.directBuffer(7000, 7000);
        assertEquals(7000, last.capacity());
        assertFalse(last.isWritable(7001));
        last.release();
        assertEquals(0, blocks.freeBlocks());
    }

    @Test
    void aBlockReleasedOnAnotherThreadComesBack() throws InterruptedException {
        BlockAllocator blocks = new BlockAllocator(8);
        ByteBuf block = blocks.directBuffer(BLOCK, BLOCK);
        Thread disk = new Thread(block::release, "test-disk");
        disk.start();
        disk.join(10_000);
        assertFalse(disk.isAlive());
        assertEquals(0, block.refCnt());
        assertEquals(1, blocks.freeBlocks());
    }
}
