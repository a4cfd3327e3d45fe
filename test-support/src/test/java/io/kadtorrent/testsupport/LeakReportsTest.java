package io.kadtorrent.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LeakReportsTest {

    @Test
    void aBufferDroppedWithoutReleaseIsReportedWithItsLastAccess() throws InterruptedException {
        LeakReports.collect(); // whatever came before
        dropUnreleased("dropped-by-LeakReportsTest");

        List<String> leaks = LeakReports.collect();

        assertTrue(leaks.stream().anyMatch(r -> r.contains("dropped-by-LeakReportsTest")), leaks::toString);
        assertEquals(List.of(), LeakReports.collect(), "each report is handed out once");
    }

    @Test
    void releasedBuffersAreNotReported() throws InterruptedException {
        LeakReports.collect();
        for (int i = 0; i < 100; i++) {
            ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
            b.writeInt(i);
            b.release();
        }

        assertEquals(List.of(), LeakReports.collect());
    }

    private static void dropUnreleased(String hint) {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(64);
        b.touch(hint);
        b.writeLong(42);
    }
}
