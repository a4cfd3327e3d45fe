package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataProtocolException;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataRequestCodec;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.MetadataResponseCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frame bodies to request records and response records to frame bodies, on an EmbeddedChannel. */
class MetadataMessageCodecTest {

    private final EmbeddedChannel ch = new EmbeddedChannel(MetadataMessageCodec.INSTANCE);

    private static ByteBuf body(byte[] b) {
        return Unpooled.wrappedBuffer(b);
    }

    private MetadataResponse readResponse() throws MetadataProtocolException {
        ByteBuf out = ch.readOutbound();
        try {
            return MetadataResponseCodec.decode(ByteBufUtil.getBytes(out));
        } finally {
            out.release();
        }
    }

    @Test
    void decodesARequestFrameIntoItsRecord() {
        MetadataRequest r = new MetadataRequest.Search(3, "x", 0, 10);
        ch.writeInbound(body(MetadataRequestCodec.encode(r)));
        assertEquals(r, ch.readInbound());
        ch.finishAndReleaseAll();
    }

    @Test
    void encodesAResponseRecordIntoItsFrameBody() throws Exception {
        MetadataResponse r = new MetadataResponse.Page(3, List.of(), 0, 0);
        ch.writeOutbound(r);
        assertEquals(r, readResponse());
        ch.finishAndReleaseAll();
    }

    @Test
    void garbageIsAnsweredAndTheChannelClosed() throws Exception {
        ch.writeInbound(body("not bencode".getBytes(ISO_8859_1)));
        assertNull(ch.readInbound());
        MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, readResponse());
        assertEquals(ErrorCode.BAD_REQUEST, f.code());
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void badFieldIsAnsweredWithItsIdAndTheChannelKept() throws Exception {
        ch.writeInbound(body("d2:idi4e5:limiti0e2:op4:liste".getBytes(ISO_8859_1)));
        MetadataResponse.Failure f = assertInstanceOf(MetadataResponse.Failure.class, readResponse());
        assertEquals(4, f.id());
        assertTrue(ch.isOpen());
        ch.finishAndReleaseAll();
    }
}
