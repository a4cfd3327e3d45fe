package io.kadtorrent.dht.node;

import io.kadtorrent.dht.engine.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.BiConsumer;

/**
 * The production {@link Transport}: one Netty UDP channel on one event loop. Received datagrams
 * go to the sink on that loop; sends must be made from that loop too (the engine's thread).
 */
final class NettyUdpTransport implements Transport {

    static final String DATAGRAM_HANDLER = "datagram";

    private final Channel channel;

    private NettyUdpTransport(Channel channel) {
        this.channel = channel;
    }

    /** Binds {@code address:port} on {@code loop}; {@code sink} gets every datagram on that loop. */
    static NettyUdpTransport bind(EventLoop loop, InetAddress address, int port,
                                         BiConsumer<InetSocketAddress, byte[]> sink) throws IOException {
        ChannelFuture bound = new Bootstrap()
                .group(loop)
                .channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        ch.pipeline().addLast(DATAGRAM_HANDLER, new DatagramHandler(sink));
                    }
                })
                .bind(address, port)
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IOException("cannot bind udp " + address.getHostAddress() + ":" + port + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        return new NettyUdpTransport(bound.channel());
    }

    @Override
    public void send(InetSocketAddress to, byte[] datagram) {
        if (to.isUnresolved() || !channel.isActive()) {
            return; // UDP: an unsendable datagram is simply lost
        }
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(datagram), to), channel.voidPromise());
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Closes the channel and waits for it; never call on the channel's own loop. */
    void close() {
        channel.close().awaitUninterruptibly();
    }

    /** Closes the channel without waiting (safe on the channel's own loop). */
    void closeLater() {
        channel.close();
    }
}
