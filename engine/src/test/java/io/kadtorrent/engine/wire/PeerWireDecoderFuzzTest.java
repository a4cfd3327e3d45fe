package io.kadtorrent.engine.wire;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of what a peer sends us over TCP: the 68-byte handshake ({@link Handshake#decode})
 * and then the message stream through {@link PeerWireDecoder} (framing, the piece fast path, and
 * {@link PeerWireCodec#decode}), fed in reads of a fuzzed size. Properties: only {@link PeerProtocolException}
 * escapes; every decoded message re-encodes to exactly the bytes it came from (so the stream is a sequence of
 * whole messages); no block buffer is larger than 16 KiB or allocated beyond what the input carries; every
 * block buffer is released once its message is released or the channel closes. Input: one byte for the read
 * size (at most 64 reads an input), one whose low bit says a handshake comes first, then the bytes. Corpus: {@code PeerWireDecoderFuzzTestInputs/decode}.
 */
class PeerWireDecoderFuzzTest {

    /** What the swarm accepts: a 16 KiB block plus header, or a bitfield of 100,000-odd pieces. */
    private static final int MAX_MESSAGE_BYTES = 1 << 17;
    /** Reads per input at most: 4 KiB in single bytes would cost the fuzzer nine tenths of its speed. */
    private static final int MAX_READS = 64;

    @FuzzTest
    void decode(byte[] input) {
        if (input.length < 2) {
            return;
        }
        int readBytes = 1 + (input[0] & 0xFF) * 16; // 1 .. 4081 bytes a read
        int at = 2;
        if ((input[1] & 1) != 0) {
            handshake(Arrays.copyOfRange(input, at, Math.min(input.length, at + Handshake.LENGTH)));
            at += Handshake.LENGTH;
        }
        byte[] stream = Arrays.copyOfRange(input, Math.min(at, input.length), input.length);
        readBytes = Math.max(readBytes, (stream.length + MAX_READS - 1) / MAX_READS);
        CountingAllocator blocks = new CountingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel(new PeerWireDecoder(MAX_MESSAGE_BYTES, blocks));
        List<PeerMessage> received = new ArrayList<>();
        boolean failed = false;
        try {
            for (int from = 0; from < stream.length && !failed; from += readBytes) {
                int n = Math.min(readBytes, stream.length - from);
                try {
                    channel.writeInbound(Unpooled.wrappedBuffer(stream, from, n));
                } catch (DecoderException e) {
                    assertInstanceOf(PeerProtocolException.class, e.getCause());
                    failed = true;
                }
                for (Object m; (m = channel.readInbound()) != null; ) {
                    received.add((PeerMessage) m);
                }
            }
            ByteArrayOutputStream again = new ByteArrayOutputStream();
            for (PeerMessage m : received) {
                ByteBuf encoded = PeerWireCodec.encode(m, UnpooledByteBufAllocator.DEFAULT);
                byte[] b = new byte[encoded.readableBytes()];
                encoded.readBytes(b).release();
                again.writeBytes(b);
            }
            byte[] consumed = again.toByteArray();
            assertTrue(consumed.length <= stream.length, "more bytes out than in");
            assertArrayEquals(Arrays.copyOf(stream, consumed.length), consumed, "re-encoding differs");
            assertTrue(blocks.largest <= BlockRequest.BLOCK_SIZE, "block buffer of " + blocks.largest);
            // a block buffer is allocated when its header is in: at most one ahead of the bytes that fill it
            assertTrue(blocks.total <= stream.length + BlockRequest.BLOCK_SIZE, "allocated " + blocks.total);
        } finally {
            received.forEach(PeerMessage::release);
            channel.finishAndReleaseAll();
        }
        for (ByteBuf b : blocks.handedOut) {
            assertEquals(0, b.refCnt(), "a block buffer was never released");
        }
    }

    private static void handshake(byte[] bytes) {
        if (bytes.length < Handshake.LENGTH) {
            return; // the connection waits for the rest
        }
        Handshake h;
        try {
            h = Handshake.decode(Unpooled.wrappedBuffer(bytes));
        } catch (PeerProtocolException rejected) {
            return;
        }
        ByteBuf out = Unpooled.buffer(Handshake.LENGTH);
        h.encode(out);
        byte[] again = new byte[out.readableBytes()];
        out.readBytes(again).release();
        assertArrayEquals(bytes, again);
    }

    /** Unpooled buffers whose sizes and reference counts the test can inspect afterwards. */
    private static final class CountingAllocator extends AbstractByteBufAllocator {
        final List<ByteBuf> handedOut = new ArrayList<>();
        long total;
        int largest;

        CountingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return Unpooled.buffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            ByteBuf b = Unpooled.buffer(initialCapacity, maxCapacity); // on the heap: cheaper, and the same to the decoder
            handedOut.add(b);
            total += initialCapacity;
            largest = Math.max(largest, initialCapacity);
            return b;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }
}
