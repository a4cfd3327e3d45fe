package io.kadtorrent.dht.node;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * Copies each received datagram into a {@code byte[]} and hands it, with its sender, to the
 * engine on this channel's event loop; the {@code ByteBuf} is released by the superclass, so no
 * Netty type crosses into the sans-I/O core. A failure while handling one datagram is logged and
 * the channel stays open: one bad packet never takes the node down.
 */
final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {

    private static final Logger log = LoggerFactory.getLogger(DatagramHandler.class);

    /** Largest UDP payload over IPv4; anything claiming more is not a datagram we sent for. */
    static final int MAX_DATAGRAM_BYTES = 65_507;

    private final BiConsumer<InetSocketAddress, byte[]> sink;

    DatagramHandler(BiConsumer<InetSocketAddress, byte[]> sink) {
        this.sink = sink;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        if (length == 0 || length > MAX_DATAGRAM_BYTES) {
            return;
        }
        byte[] bytes = new byte[length];
        content.getBytes(content.readerIndex(), bytes);
        sink.accept(packet.sender(), bytes);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Often a send to an unreachable contact (peers choose what they put in their node lists):
        // one line per datagram at DEBUG, so remote input cannot flood the log at WARN.
        log.debug("dropped a datagram that failed: {}", cause.toString(), cause);
    }
}
