package io.kadtorrent.client.swarm;

import io.kadtorrent.client.ClientConfig;
import io.kadtorrent.client.net.PeerChannelInitializer;
import io.kadtorrent.client.net.PeerTorrent;
import io.kadtorrent.client.storage.FilePieceStore;
import io.kadtorrent.client.storage.PieceStore;
import io.kadtorrent.client.wire.Handshake;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The client's composition root for peer wire: one TCP listener and its event loops, one disk
 * thread, one peer_id, and any number of torrents. Incoming handshakes are routed to a torrent by
 * info_hash. Closing stops the network first, then finishes disk writes and saves resume data.
 */
public final class Session implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private final ClientConfig config;
    private final byte[] peerId = Handshake.newPeerId(new SecureRandom());
    private final EventLoopGroup group;
    private final DiskWriter disk = new DiskWriter();
    private final Map<InfoHash, TorrentSwarm> torrents = new ConcurrentHashMap<>();
    private final Channel listener;

    private Session(ClientConfig config) throws InterruptedException {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(PeerChannelInitializer.incoming(peerId, this::route));
        ChannelFuture bound = b.bind(config.bindHost(), config.port()).await();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + config.bindHost() + ":" + config.port() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        this.listener = bound.channel();
    }

    /** Binds the TCP listener; throws {@link IllegalStateException} when the address is unusable. */
    public static Session start(ClientConfig config) throws InterruptedException {
        return new Session(config);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    public byte[] peerId() {
        return peerId.clone();
    }

    /** Opens the torrent's files below {@code parentDir} (verifying what is there) and joins its swarm. */
    public TorrentSwarm add(Metainfo metainfo, Path parentDir) throws IOException {
        return add(metainfo, FilePieceStore.open(metainfo, parentDir));
    }

    /** Joins the swarm of {@code metainfo} with data in {@code store}; the session closes the store. */
    public TorrentSwarm add(Metainfo metainfo, PieceStore store) {
        TorrentSwarm swarm = new TorrentSwarm(metainfo, store, disk, this::connect, config.maxPeersPerTorrent(),
                config.unchokeSlots(), new SplittableRandom());
        if (torrents.putIfAbsent(metainfo.infoHash(), swarm) != null) {
            throw new IllegalStateException("torrent " + metainfo.infoHash().hex() + " is already in the session");
        }
        return swarm;
    }

    public Optional<TorrentSwarm> torrent(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash));
    }

    private PeerTorrent route(InfoHash infoHash) {
        return torrents.get(infoHash);
    }

    private void connect(TorrentSwarm swarm, InetSocketAddress address) {
        new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(PeerChannelInitializer.outgoing(peerId, swarm))
                .connect(address)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        log.info("cannot connect to peer {}: {}", address, f.cause().getMessage());
                    }
                });
    }

    /** Stops the network, finishes disk writes, saves resume data and closes every store. */
    @Override
    public void close() {
        listener.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        disk.close();
        for (TorrentSwarm swarm : torrents.values()) {
            try {
                swarm.store().saveResume();
                swarm.store().close();
            } catch (IOException e) {
                log.warn("{}: cannot save resume data: {}", swarm.infoHash().shortHex(), e.getMessage());
            }
        }
    }
}
