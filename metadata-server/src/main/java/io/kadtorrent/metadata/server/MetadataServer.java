package io.kadtorrent.metadata.server;

import com.google.common.base.Ticker;
import io.kadtorrent.metadata.catalog.Catalog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A running metadata server: a Netty TCP listener serving one {@link Catalog}. Torrents are
 * served with {@code nodes} from the given bootstrap node source (in production the embedded
 * DHT node and its contacts; in tests anything). Close it to stop.
 */
public final class MetadataServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataServer.class);
    /** Publishes waiting for the disk; beyond this a publish is answered BUSY (503). */
    static final int MAX_QUEUED_PUBLISHES = 32;

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ExecutorService publishExecutor;
    private final Channel listener;
    private final ConnectionLimiter connectionLimiter;

    private MetadataServer(EventLoopGroup boss, EventLoopGroup workers, ExecutorService publishExecutor,
                           Channel listener, ConnectionLimiter connectionLimiter) {
        this.bossGroup = boss;
        this.workerGroup = workers;
        this.publishExecutor = publishExecutor;
        this.listener = listener;
        this.connectionLimiter = connectionLimiter;
    }

    /** Binds the listener and starts serving; throws when the address cannot be bound. */
    public static MetadataServer start(MetadataServerConfig config, Catalog catalog,
                                       BootstrapNodes bootstrapNodes) throws InterruptedException {
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
        // One writer: publishes are serialized by the catalog anyway, and it keeps fsyncs off the
        // event loops. Its queue is bounded because every queued publish holds its whole frame.
        ExecutorService publishExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_QUEUED_PUBLISHES), r -> {
                    Thread t = new Thread(r, "metadata-publish");
                    t.setDaemon(true);
                    return t;
                });
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnections(), config.maxConnectionsPerAddress());
        MetadataResponder responder = new MetadataResponder(catalog, bootstrapNodes, config.publishPolicy());
        MetadataChannelInitializer initializer = new MetadataChannelInitializer(config, limiter,
                new AddressRateLimiter(config.requestsPerSecond(), config.requestBurst(), config.maxTrackedAddresses(),
                        Ticker.systemTicker()),
                new MetadataRequestHandler(responder, publishExecutor));
        try {
            Channel listener = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 << 10, 1 << 20))
                    .childHandler(initializer)
                    .bind(config.bind()).sync().channel();
            log.info("metadata server listening on {} ({} torrents)", listener.localAddress(), catalog.size());
            return new MetadataServer(boss, workers, publishExecutor, listener, limiter);
        } catch (InterruptedException | RuntimeException e) {
            shutdown(boss, workers, publishExecutor);
            throw e;
        }
    }

    /** The bound TCP address (with the real port when started on port 0). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    /** Connections open now. */
    public int openConnections() {
        return connectionLimiter.open();
    }

    /** Stops listening, closes every connection and waits for in-flight publishes to finish. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        shutdown(bossGroup, workerGroup, publishExecutor);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, ExecutorService publishExecutor) {
        publishExecutor.shutdown();
        try {
            publishExecutor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
