package io.kadtorrent.dht.node;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatagramHandlerTest {

    private final InetSocketAddress sender = new InetSocketAddress("127.0.0.1", 6881);
    private final InetSocketAddress local = new InetSocketAddress("127.0.0.1", 6882);

    @Test
    void copiesPayloadAndReleasesTheBuffer() {
        List<byte[]> got = new ArrayList<>();
        List<InetSocketAddress> from = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramHandler((f, b) -> {
            from.add(f);
            got.add(b);
        }));
        ByteBuf buf = Unpooled.copiedBuffer(new byte[]{'d', 'e'});
        channel.writeInbound(new DatagramPacket(buf, local, sender));
        assertEquals(0, buf.refCnt(), "released after the copy");
        assertArrayEquals(new byte[]{'d', 'e'}, got.get(0));
        assertEquals(sender, from.get(0));
        assertFalse(channel.finish());
    }

    @Test
    void aFailingSinkDoesNotCloseTheChannel() {
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramHandler((f, b) -> {
            throw new IllegalStateException("boom");
        }));
        ByteBuf buf = Unpooled.copiedBuffer(new byte[]{1});
        channel.writeInbound(new DatagramPacket(buf, local, sender));
        assertEquals(0, buf.refCnt());
        assertTrue(channel.isActive());
        channel.finishAndReleaseAll();
    }

    @Test
    void emptyDatagramsAreIgnored() {
        List<byte[]> got = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new DatagramHandler((f, b) -> got.add(b)));
        channel.writeInbound(new DatagramPacket(Unpooled.EMPTY_BUFFER, local, sender));
        assertTrue(got.isEmpty());
        channel.finishAndReleaseAll();
    }
}
