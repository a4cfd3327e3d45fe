package io.kadtorrent.metadata.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame decoder on an EmbeddedChannel, with Netty's virtual clock (frozen, then advanced) for the frame deadline. */
class MetadataFrameDecoderTest {

    private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(10);

    private final EmbeddedChannel ch = new EmbeddedChannel(new MetadataFrameDecoder(1024, FRAME_TIMEOUT));

    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer(b.length);
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    @Test
    void reassemblesAFrameSplitAcrossReads() {
        assertFalse(ch.writeInbound(bytes(0, 0, 0, 3, 'a')));
        assertTrue(ch.writeInbound(bytes('b', 'c', 0, 0)));
        ByteBuf frame = ch.readInbound();
        assertEquals("abc", frame.toString(java.nio.charset.StandardCharsets.US_ASCII));
        frame.release();
        assertNull(ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void refusesAnOversizedLengthPrefixBeforeTheBody() {
        // 0x7fffffff = 2 GiB announced; only 5 bytes sent, nothing allocated for the rest.
        assertThrows(TooLongFrameException.class, () -> ch.writeInbound(bytes(0x7f, 0xff, 0xff, 0xff, 'd')));
        ch.finishAndReleaseAll();
    }

    @Test
    void closesWhenAStartedFrameMissesItsDeadline() {
        ch.freezeTime(); // virtual time only: a slow machine must not move the clock between the steps
        ch.writeInbound(bytes(0, 0, 0, 10, 'x'));
        ch.advanceTimeBy(FRAME_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void completedFrameDisarmsTheDeadline() {
        ch.freezeTime();
        ch.writeInbound(bytes(0, 0, 0, 1));
        ch.writeInbound(bytes('z'));
        ((ByteBuf) ch.readInbound()).release();
        ch.advanceTimeBy(FRAME_TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }
}
