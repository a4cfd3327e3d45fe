package io.kadtorrent.client.swarm;

import io.kadtorrent.client.ClientConfig;
import io.kadtorrent.client.discovery.PeerSink;
import io.kadtorrent.client.discovery.PeerSource;
import io.kadtorrent.client.ext.MetadataFetch;
import io.kadtorrent.dht.DhtConfig;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
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
    private final Map<InfoHash, MetadataFetch> fetches = new ConcurrentHashMap<>();
    private final Channel listener;
    private SessionDht dht; // null when the session runs without the DHT

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
        long rechokeMillis = Choker.RECHOKE_INTERVAL.toMillis();
        group.next().scheduleAtFixedRate(this::rechokeAll,
                rechokeMillis, rechokeMillis, TimeUnit.MILLISECONDS); // stops with the event loops
    }

    /** One rechoke round; a failure is logged, never allowed to cancel the periodic task (Netty would). */
    private void rechokeAll() {
        for (TorrentSwarm swarm : torrents.values()) {
            try {
                swarm.rechoke();
            } catch (RuntimeException e) {
                log.error("rechoke of {} failed", swarm.infoHash().shortHex(), e);
            }
        }
    }

    /** Binds the TCP listener; throws {@link IllegalStateException} when the address is unusable. */
    public static Session start(ClientConfig config) throws InterruptedException {
        return new Session(config);
    }

    /**
     * Binds the TCP listener and starts one DHT node that finds peers for every torrent added,
     * looking again every {@code lookupInterval} while a torrent needs peers.
     */
    public static Session start(ClientConfig config, DhtConfig dhtConfig, Duration lookupInterval)
            throws InterruptedException, IOException {
        Session session = new Session(config);
        try {
            session.dht = SessionDht.start(dhtConfig, session.group.next(), lookupInterval);
        } catch (IOException | RuntimeException e) {
            session.close();
            throw e;
        }
        return session;
    }

    /** The DHT node's UDP address, when the session runs one. */
    public Optional<InetSocketAddress> dhtAddress() {
        return dht == null ? Optional.empty() : Optional.of(dht.localAddress());
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
        if (dht != null) {
            PeerSource source = dht.discover(metainfo.infoHash(), metainfo.nodes(), localAddress().getPort(),
                    new PeerSink() {
                        @Override
                        public boolean needsPeers() {
                            return !swarm.completion().isDone() && swarm.stats().peers() < config.maxPeersPerTorrent();
                        }

                        @Override
                        public void offer(InetSocketAddress peer) {
                            swarm.addPeer(peer);
                        }
                    });
            swarm.completion().thenRun(source::torrentComplete); // BEP 5: announce again as a seeder
        }
        return swarm;
    }

    /**
     * Joins the swarm of a torrent known only by its info_hash (a magnet link): fetches and verifies
     * its metadata over BEP 9 from {@code peers} and peers the DHT finds, then adds it like
     * {@link #add(Metainfo, Path)} and hands it every peer seen so far.
     */
    public CompletableFuture<TorrentSwarm> addMagnet(InfoHash infoHash, List<InetSocketAddress> peers, Path parentDir) {
        MetadataFetch fetch = new MetadataFetch(infoHash, this::connect);
        if (torrents.containsKey(infoHash) || fetches.putIfAbsent(infoHash, fetch) != null) {
            throw new IllegalStateException("torrent " + infoHash.hex() + " is already in the session");
        }
        PeerSource source = dht == null ? null : dht.discover(infoHash, List.of(), localAddress().getPort(),
                new PeerSink() {
                    @Override
                    public boolean needsPeers() {
                        return !fetch.metainfo().isDone();
                    }

                    @Override
                    public void offer(InetSocketAddress peer) {
                        fetch.addPeer(peer);
                    }
                });
        ScheduledFuture<?> ticker = group.next().scheduleAtFixedRate(fetch::tick, 1, 1, TimeUnit.SECONDS);
        peers.forEach(fetch::addPeer);
        return fetch.metainfo().whenComplete((m, e) -> {
            ticker.cancel(false);
            if (source != null) {
                source.close();
            }
            fetches.remove(infoHash);
            fetch.close();
        }).thenApplyAsync(m -> {
            try {
                TorrentSwarm swarm = add(m, parentDir);
                fetch.peersSeen().forEach(swarm::addPeer);
                return swarm;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    public Optional<TorrentSwarm> torrent(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash));
    }

    private PeerTorrent route(InfoHash infoHash) {
        TorrentSwarm swarm = torrents.get(infoHash);
        return swarm != null ? swarm : fetches.get(infoHash);
    }

    private void connect(PeerTorrent swarm, InetSocketAddress address) {
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
        if (dht != null) {
            dht.close();
        }
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
