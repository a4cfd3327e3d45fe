package io.kadtorrent.daemon.api;

import io.kadtorrent.daemon.Daemon;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control API's HTTP server: Netty's HTTP/1.1 codec on one event loop of its own; requests that may
 * wait (adding a torrent checks files, removing one waits for its writes) run on a small bounded pool,
 * so the loop only parses, checks and writes.
 */
public final class ApiServer implements AutoCloseable {

    static final int MAX_BODY_BYTES = 32 << 20; // a .torrent as base64, with room
    static final int MAX_CONNECTIONS = 128;
    private static final int MAX_HEADER_BYTES = 16 << 10;
    static final int IDLE_SECONDS = 120;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(64), r -> {
                Thread t = new Thread(r, "kadtorrent-api");
                t.setDaemon(true);
                return t;
            });
    private final Channel channel;
    /** Every accepted connection, closed with the server (an event stream would otherwise outlive it). */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private ApiServer(Daemon daemon, String host, int port, String token) throws InterruptedException {
        AtomicInteger open = new AtomicInteger();
        ListJson listJson = new ListJson(daemon.json());
        java.util.concurrent.atomic.AtomicReference<ApiSecurity> security = new java.util.concurrent.atomic.AtomicReference<>();
        ServerBootstrap b = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > MAX_CONNECTIONS) {
                            open.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        connections.add(ch);
                        ch.pipeline()
                                .addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0))
                                .addLast(new HttpServerCodec(4096, MAX_HEADER_BYTES, 8192))
                                .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                .addLast(new ApiHandler(daemon, security::get, workers, listJson));
                    }
                });
        ChannelFuture bound = b.bind(host, port).await();
        if (!bound.isSuccess()) {
            close();
            throw new IllegalStateException("cannot listen for the API on " + host + ":" + port + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        this.channel = bound.channel();
        InetSocketAddress local = (InetSocketAddress) channel.localAddress();
        security.set(new ApiSecurity(token, ApiSecurity.hostsFor(local.getAddress(), local.getPort()), local.getPort()));
    }

    /** Binds the API on {@code host:port}; an address that is not loopback is refused unless it is named. */
    public static ApiServer start(Daemon daemon, String host, int port, String token) throws InterruptedException {
        try {
            InetAddress.getByName(host);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve the API address " + host, e);
        }
        return new ApiServer(daemon, host, port, token);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        workers.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
