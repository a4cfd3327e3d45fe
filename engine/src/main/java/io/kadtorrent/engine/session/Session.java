package io.kadtorrent.engine.session;

import com.google.common.net.HostAndPort;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.mse.SkeyIndex;
import io.kadtorrent.engine.tracker.TrackerPeerSource;
import io.kadtorrent.engine.net.PeerChannelInitializer;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.engine.swarm.SwarmCore;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * The composition root of the peer engine: one TCP listener and its event loops, one disk thread, one
 * peer_id, an optional DHT node, and any number of {@link Torrent}s, each a swarm core on one event
 * loop. Incoming handshakes are routed to a torrent by info_hash. Closing stops the network first, then
 * finishes disk writes and saves resume data.
 */
public final class Session implements AutoCloseable {

    /** Send buffers of every peer connection, incoming or dialled. */
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);

    private final SessionConfig config;
    private final byte[] peerId = Handshake.newPeerId(new SecureRandom());
    private final EventLoopGroup group;
    private final DiskWriter disk = new DiskWriter();
    private final SessionLimits limits;
    private final SkeyIndex skeys = new SkeyIndex(); // the torrents an MSE peer may ask for
    private final TorrentRegistry registry = new TorrentRegistry(skeys, disk);
    private final PeerSources sources;
    private final PeerDialer dialer;
    private final Channel listener;
    private SessionDht dht; // null when the session runs without the DHT
    private final TorrentFiles files;

    private Session(SessionConfig config) throws InterruptedException {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(PeerChannelInitializer.incoming(peerId, registry::route, config.encryption(), skeys));
        ChannelFuture bound = b.bind(config.bindHost(), config.port()).await();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + config.bindHost() + ":" + config.port() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        this.listener = bound.channel();
        this.sources = new PeerSources(peerId, localAddress().getPort());
        this.dialer = new PeerDialer(peerId, config.encryption(), registry::isRunning);
        this.limits = new SessionLimits(group.next(), registry::limitMembers);
        this.files = TorrentFiles.sweeping(config.resumeDir());
    }

    /** Binds the TCP listener; throws {@link IllegalStateException} when the address is unusable. */
    public static Session start(SessionConfig config) throws InterruptedException {
        return new Session(config);
    }

    /**
     * Binds the TCP listener and starts one DHT node that finds peers for every torrent added,
     * looking again every {@code lookupInterval} while a torrent needs peers.
     */
    public static Session start(SessionConfig config, DhtConfig dhtConfig, Duration lookupInterval)
            throws InterruptedException, IOException {
        Session session = new Session(config);
        try {
            session.dht = SessionDht.start(dhtConfig, session.group.next(), lookupInterval);
            session.sources.useDht(session.dht);
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

    /**
     * The session's DHT node, for what goes beyond finding peers (BEP 44 items); empty without the DHT.
     * It closes with the session.
     */
    public Optional<DhtNode> dhtNode() {
        return dht == null ? Optional.empty() : Optional.of(dht.node());
    }

    /** Every UDP address of the DHT node (one per family when it is in both DHTs, BEP 32); empty without one. */
    public List<InetSocketAddress> dhtAddresses() {
        return dht == null ? List.of() : dht.localAddresses();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listener.localAddress();
    }

    public byte[] peerId() {
        return peerId.clone();
    }

    /** Opens the torrent's files below {@code parentDir} (verifying what is there) and joins its swarm. */
    public Torrent add(Metainfo metainfo, Path parentDir) throws IOException {
        return add(metainfo, parentDir, List.of());
    }

    /**
     * As {@link #add(Metainfo, Path)}, with each file's priority ({@code priorities} empty: all normal);
     * skipped files are not created.
     */
    public Torrent add(Metainfo metainfo, Path parentDir, List<FilePriority> priorities) throws IOException {
        if (!priorities.isEmpty()) {
            FilePriority.pieceLevels(metainfo.layout(), metainfo.files(), priorities); // checks before creating files
        }
        PieceStore store = openStore(metainfo, parentDir, priorities);
        return add(metainfo, store, parentDir, priorities);
    }

    /** Joins the swarm of {@code metainfo} with data in {@code store}; the session closes the store. */
    public Torrent add(Metainfo metainfo, PieceStore store) {
        return add(metainfo, store, null, List.of());
    }

    /**
     * The session's rate limits in bytes per second (0: unlimited), shared by all its torrents, protocol
     * overhead counted. Takes effect at once.
     */
    public void setRateLimits(long uploadBytesPerSecond, long downloadBytesPerSecond) {
        if (uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
            throw new IllegalArgumentException("a rate limit cannot be negative");
        }
        limits.set(uploadBytesPerSecond, downloadBytesPerSecond);
    }

    /** The session's limits: {upload, download} bytes per second, 0 when unlimited. */
    public long[] rateLimits() {
        return limits.get();
    }

    private Torrent add(Metainfo metainfo, PieceStore store, Path parentDir, List<FilePriority> priorities) {
        EventLoop loop = group.next();
        SwarmCore core = SwarmCore.forTorrent(metainfo, store.verifiedPieces(), priorities, swarmConfig(),
                new SplittableRandom(), Torrent.now());
        shareLimits(core);
        Torrent torrent = new Torrent(this, loop, core, store, parentDir, FileSelection.ALL);
        register(torrent, loop, !metainfo.isPrivate(), metainfo.nodes(),
                TrackerPeerSource.tiersOf(metainfo.announceList(), metainfo.announce()));
        return torrent;
    }

    /**
     * Joins the swarm of a torrent known only by its info_hash (a magnet link): the core fetches and
     * verifies its metadata over BEP 9 from {@code peers} and peers the DHT finds, then the files are
     * opened below {@code parentDir} and the download goes on over the same connections. Completes with
     * the torrent once its metadata is verified.
     */
    public CompletableFuture<Torrent> addMagnet(InfoHash infoHash, List<InetSocketAddress> peers, Path parentDir) {
        return addMagnet(infoHash, peers, List.of(), parentDir);
    }

    /** As {@link #addMagnet(InfoHash, List, Path)}, with the magnet's trackers ({@code tr=}) as a peer source too. */
    public CompletableFuture<Torrent> addMagnet(InfoHash infoHash, List<InetSocketAddress> peers, List<String> trackerUrls,
                                                Path parentDir) {
        return addMagnet(infoHash, peers, trackerUrls, parentDir, FileSelection.ALL);
    }

    /**
     * As {@link #addMagnet(InfoHash, List, List, Path)}, downloading only the files {@code selection} picks
     * once the file list is known (the torrent fails with the reason when it picks none).
     */
    public CompletableFuture<Torrent> addMagnet(InfoHash infoHash, List<InetSocketAddress> peers, List<String> trackerUrls,
                                                Path parentDir, FileSelection selection) {
        SwarmCore core = SwarmCore.forMagnet(infoHash, swarmConfig(), new SplittableRandom(), Torrent.now());
        shareLimits(core);
        EventLoop loop = group.next();
        Torrent torrent = new Torrent(this, loop, core, null, parentDir, selection);
        register(torrent, loop, true, List.of(), TrackerPeerSource.tiersOf(
                trackerUrls.stream().map(List::of).toList(), Optional.empty()));
        torrent.addPeers(peers, true);
        return torrent.metadata().thenApply(m -> {
            if (m.isPrivate()) {
                sources.leaveDht(infoHash); // BEP 27: the DHT found its metadata; from now on its trackers only
            }
            return torrent;
        });
    }

    /**
     * BEP 9 alone: fetches the metadata of {@code infoHash} from {@code peers} and peers the DHT finds,
     * verified against the info_hash, then leaves the swarm; no file is opened or written. Completes with
     * the metadata once the torrent has left the session.
     */
    public CompletableFuture<Metainfo> fetchMetadata(InfoHash infoHash, List<InetSocketAddress> peers) {
        SwarmCore core = SwarmCore.forMagnet(infoHash, swarmConfig(), new SplittableRandom(), Torrent.now());
        shareLimits(core);
        EventLoop loop = group.next();
        Torrent torrent = new Torrent(this, loop, core, null, null, FileSelection.ALL);
        register(torrent, loop, true, List.of(), List.of());
        torrent.addPeers(peers, true);
        return torrent.metadata().thenCompose(m -> remove(infoHash).thenApply(v -> m));
    }

    /**
     * Registers a complete torrent from its resume data alone, to run on first need (see {@link LazyTorrent}):
     * its metainfo is read through {@code metainfo} and its files are opened only then. Empty, and nothing
     * registered, when the session keeps no resume folder or the resume data there does not say that all
     * {@code pieceCount} pieces were verified (the caller then adds it as usual). A lazy torrent joins the DHT
     * (it is announced; a peer it finds starts it); this form knows none of its metainfo's trackers or DHT nodes.
     */
    public Optional<LazyTorrent> addLazy(InfoHash infoHash, int pieceCount, Path parentDir,
                                         List<FilePriority> priorities, Callable<Metainfo> metainfo) {
        return addLazy(infoHash, pieceCount, parentDir, priorities, metainfo, true, List.of(), List.of());
    }

    /**
     * As {@link #addLazy(InfoHash, int, Path, List, Callable)}, with what its metainfo names to find peers, which the
     * caller kept from an earlier run ({@link TrackerPeerSource#tiersOf}, {@link Metainfo#nodes()}): the DHT nodes
     * help the DHT, and the trackers hear it announce as a seed (left 0) as usual; a peer a tracker names starts it,
     * as a peer the DHT finds does. When it starts, its own sources take over without telling the trackers it left.
     * {@code useDht} false (a private torrent, BEP 27): not in the DHT at all.
     */
    public Optional<LazyTorrent> addLazy(InfoHash infoHash, int pieceCount, Path parentDir, List<FilePriority> priorities,
                                         Callable<Metainfo> metainfo, boolean useDht, List<List<URI>> tiers,
                                         List<HostAndPort> nodes) {
        if (!files.claimsComplete(infoHash, pieceCount)) {
            return Optional.empty();
        }
        LazyTorrent lazy = new LazyTorrent(this, infoHash, pieceCount, parentDir, priorities, metainfo);
        registry.registerLazy(lazy);
        sources.startLazy(lazy, group.next(), useDht, nodes, tiers);
        return Optional.of(lazy);
    }

    /** Where lazy torrents open their files: off the event loops. */
    Executor opener() {
        return ForkJoinPool.commonPool();
    }

    /**
     * A lazy torrent's files are open: it joins the swarm as a running torrent, in place of the lazy one (whose
     * peer sources give way to the metainfo's own). Called under the lazy torrent's lock, so a removal waits.
     */
    Torrent join(LazyTorrent lazy, Metainfo metainfo, PieceStore store, Path parentDir, List<FilePriority> priorities) {
        sources.replace(lazy.infoHash());
        Torrent torrent = add(metainfo, store, parentDir, priorities);
        registry.woke(lazy);
        return torrent;
    }

    /** A lazy torrent could not start: the session forgets its info_hash. */
    void dropLazy(LazyTorrent lazy) {
        if (registry.dropLazy(lazy)) {
            sources.close(lazy.infoHash());
        }
    }

    /** A new core's shares of the session's limits until the next division (see {@link SessionLimits}). */
    private void shareLimits(SwarmCore core) {
        long[] part = limits.equalParts(registry.runningCount() + 1);
        core.setSessionShares(Torrent.now(), part[0], part[1]);
    }

    private SwarmConfig swarmConfig() {
        return SwarmConfig.defaults().withOurPeerId(peerId).withMaxPeers(config.maxPeersPerTorrent())
                .withUnchokeSlots(config.unchokeSlots()).withListenPort(localAddress().getPort());
    }

    /** Whether the session looks for (and announces) {@code infoHash} in the DHT now. */
    boolean inDht(InfoHash infoHash) {
        return sources.inDht(infoHash);
    }

    /** {@code useDht}: find and announce it in the DHT too (false for a private torrent, BEP 27). */
    private void register(Torrent torrent, EventLoop loop, boolean useDht, List<HostAndPort> torrentNodes,
                          List<List<URI>> tiers) {
        registry.register(torrent, limits::added);
        sources.start(torrent, loop, useDht, torrentNodes, tiers);
    }

    /**
     * Stops sharing the torrent: its connections close, its peer source stops, and once every write queued
     * for it is done its resume data is saved and its files are closed (they stay on disk). Completes then;
     * at once when the session has no such torrent.
     */
    public CompletableFuture<Void> remove(InfoHash infoHash) {
        return registry.remove(infoHash, sources::close);
    }

    public Optional<Torrent> torrent(InfoHash infoHash) {
        return registry.running(infoHash);
    }

    DiskWriter disk() {
        return disk;
    }

    /** Opens a magnet download's files once its metadata is known, off the event loops (it may re-hash). */
    CompletableFuture<PieceStore> openStorage(Metainfo metainfo, Path parentDir, List<FilePriority> priorities) {
        return files.openAsync(metainfo, parentDir, priorities);
    }

    FilePieceStore openStore(Metainfo metainfo, Path parentDir, List<FilePriority> priorities)
            throws IOException {
        return files.open(metainfo, parentDir, priorities);
    }

    /** Where the resume data of {@code metainfo} lives: the session's resume folder, else beside the data. */
    public Path resumeFile(Metainfo metainfo, Path parentDir) {
        return files.resumeFile(metainfo, parentDir);
    }

    /** Dials {@code address} for {@code torrent} on {@code loop}, its core's own event loop ({@link PeerDialer}). */
    void connect(Torrent torrent, EventLoop loop, InetSocketAddress address) {
        dialer.connect(torrent, loop, address);
    }

    /**
     * Stops the network, finishes disk writes, saves resume data and closes every store. The resume data is
     * not forced to disk here, so closing never waits for the disk: it is trusted until the machine reboots.
     */
    @Override
    public void close() {
        sources.closeAll(); // trackers hear "stopped"
        if (dht != null) {
            dht.close();
        }
        listener.close().awaitUninterruptibly();
        limits.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        disk.close();
        sources.shutdown();
        registry.closeStores();
    }
}
