package io.kadtorrent.engine.session;

import com.google.common.net.HostAndPort;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.discovery.DhtPeerDiscovery;
import io.kadtorrent.engine.discovery.PeerSink;
import io.kadtorrent.engine.mse.SkeyIndex;
import io.kadtorrent.engine.discovery.PeerSource;
import io.kadtorrent.engine.discovery.Scheduler;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.engine.tracker.AnnounceRequest;
import io.kadtorrent.engine.tracker.TrackerClient;
import io.kadtorrent.engine.tracker.TrackerPeerSource;
import io.kadtorrent.engine.net.PeerChannelInitializer;
import io.kadtorrent.engine.net.PeerTorrent;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.storage.ResumeData;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.engine.swarm.SwarmCore;
import io.kadtorrent.engine.wire.Handshake;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.netty.bootstrap.Bootstrap;
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
import io.netty.channel.socket.nio.NioSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The composition root of the peer engine: one TCP listener and its event loops, one disk thread, one
 * peer_id, an optional DHT node, and any number of {@link Torrent}s, each a swarm core on one event
 * loop. Incoming handshakes are routed to a torrent by info_hash. Closing stops the network first, then
 * finishes disk writes and saves resume data.
 */
public final class Session implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Session.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(1 << 20, 4 << 20);
    private static final Duration LAZY_ANNOUNCE_SPACING = Duration.ofMillis(20);
    private static final Duration LAZY_ANNOUNCE_WINDOW = Duration.ofMinutes(1);

    private final SessionConfig config;
    private final byte[] peerId = Handshake.newPeerId(new SecureRandom());
    private final EventLoopGroup group;
    private final DiskWriter disk = new DiskWriter();
    private final Map<InfoHash, Torrent> torrents = new ConcurrentHashMap<>();
    /** Complete torrents registered from their resume data, until they run (then they are in {@link #torrents}). */
    private final Map<InfoHash, LazyTorrent> lazies = new ConcurrentHashMap<>();
    private final SessionLimits limits;
    private final SkeyIndex skeys = new SkeyIndex(); // the torrents an MSE peer may ask for
    private final Map<InfoHash, List<PeerSource>> sources = new ConcurrentHashMap<>();
    private final TrackerClient trackers = new TrackerClient();
    private final AtomicLong lazyAnnounces = new AtomicLong();
    /** Blocking tracker announces, a few at a time, never on an event loop. */
    private final ThreadPoolExecutor trackerIo = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "kadtorrent-tracker");
                t.setDaemon(true);
                return t;
            });
    private final int trackerKey = new SecureRandom().nextInt();
    private final Channel listener;
    private SessionDht dht; // null when the session runs without the DHT
    /** The session's own resume folder was cleared of interrupted saves at start, so no torrent looks again. */
    private final boolean resumeDirSwept;

    private Session(SessionConfig config) throws InterruptedException {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(PeerChannelInitializer.incoming(peerId, this::route, config.encryption(), skeys));
        ChannelFuture bound = b.bind(config.bindHost(), config.port()).await();
        if (!bound.isSuccess()) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + config.bindHost() + ":" + config.port() + ": "
                    + bound.cause().getMessage(), bound.cause());
        }
        this.listener = bound.channel();
        this.limits = new SessionLimits(group.next(), () -> torrents.values().stream().map(Torrent::limitMember).toList());
        this.resumeDirSwept = sweepResumeDir(config);
    }

    private static boolean sweepResumeDir(SessionConfig config) {
        if (config.resumeDir().isEmpty()) {
            return false;
        }
        try {
            int leftovers = AtomicFile.deleteLeftoversIn(config.resumeDir().get());
            if (leftovers > 0) {
                log.info("deleted {} temp file(s) of interrupted resume saves in {}", leftovers,
                        config.resumeDir().get());
            }
            return true;
        } catch (IOException e) {
            log.warn("cannot clear {} of interrupted saves: {}", config.resumeDir().get(), e.getMessage());
            return false; // each torrent then clears its own
        }
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
                leaveDht(infoHash); // BEP 27: the DHT found its metadata; from now on its trackers only
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
        if (config.resumeDir().isEmpty()) {
            return Optional.empty();
        }
        Path resume = config.resumeDir().get().resolve(infoHash.hex() + ".resume");
        Optional<ResumeData> data = ResumeData.read(resume, infoHash, pieceCount);
        if (data.isEmpty() || !data.get().claimsComplete(pieceCount)) {
            return Optional.empty();
        }
        LazyTorrent lazy = new LazyTorrent(this, infoHash, pieceCount, parentDir, priorities, metainfo);
        if (torrents.containsKey(infoHash) || lazies.putIfAbsent(infoHash, lazy) != null) {
            throw new IllegalStateException("torrent " + infoHash.hex() + " is already in the session");
        }
        skeys.add(infoHash);
        PeerSink sink = new PeerSink() {
            @Override
            public boolean needsPeers() {
                return false; // a seed waits to be found: no lookups while it sleeps
            }

            @Override
            public void offer(InetSocketAddress peer) {
                lazy.materialise().thenAccept(t -> t.addPeers(List.of(peer), false));
            }

            @Override
            public boolean complete() {
                return true; // a tracker that knows no leecher does not wake it
            }
        };
        // a seed since this session started: nothing up or down yet, nothing left (BEP 3 counts from "started")
        sources.put(infoHash, startSources(infoHash, group.next(), useDht, nodes, tiers, sink,
                event -> new AnnounceRequest(infoHash, peerId, localAddress().getPort(), 0, 0, 0, event, trackerKey, 80),
                lazyAnnounceDelay()));
        return Optional.of(lazy);
    }

    /**
     * When a sleeping seed first announces to its trackers: one every {@link #LAZY_ANNOUNCE_SPACING} after the first
     * second, so that 1,000 seeds brought back at once make their 1,000 announces over 20 s (a minute at most, then
     * the spacing starts over), not while the daemon restores them. Nobody waits for a seed's announce: a peer that
     * wants it finds it by an earlier one (trackers keep a peer for their interval), the DHT, or the peer's own.
     */
    private Duration lazyAnnounceDelay() {
        long n = lazyAnnounces.getAndIncrement() % (LAZY_ANNOUNCE_WINDOW.toMillis() / LAZY_ANNOUNCE_SPACING.toMillis());
        return Duration.ofSeconds(1).plus(LAZY_ANNOUNCE_SPACING.multipliedBy(n));
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
        List<PeerSource> before = sources.remove(lazy.infoHash());
        if (before != null) {
            before.forEach(PeerSource::replaced);
        }
        Torrent torrent = add(metainfo, store, parentDir, priorities);
        lazies.remove(lazy.infoHash(), lazy);
        return torrent;
    }

    /** A lazy torrent could not start: the session forgets its info_hash. */
    void dropLazy(LazyTorrent lazy) {
        if (lazies.remove(lazy.infoHash(), lazy) && !torrents.containsKey(lazy.infoHash())) {
            skeys.remove(lazy.infoHash());
            List<PeerSource> found = sources.remove(lazy.infoHash());
            if (found != null) {
                found.forEach(PeerSource::close);
            }
        }
    }

    /** A new core's shares of the session's limits until the next division (see {@link SessionLimits}). */
    private void shareLimits(SwarmCore core) {
        long[] part = limits.equalParts(torrents.size() + 1);
        core.setSessionShares(Torrent.now(), part[0], part[1]);
    }

    private SwarmConfig swarmConfig() {
        return SwarmConfig.defaults().withOurPeerId(peerId).withMaxPeers(config.maxPeersPerTorrent())
                .withUnchokeSlots(config.unchokeSlots()).withListenPort(localAddress().getPort());
    }

    /** Whether the session looks for (and announces) {@code infoHash} in the DHT now. */
    boolean inDht(InfoHash infoHash) {
        return sources.getOrDefault(infoHash, List.of()).stream().anyMatch(DhtPeerDiscovery.class::isInstance);
    }

    /** Stops looking for (and announcing) a torrent in the DHT; its other peer sources go on. */
    private void leaveDht(InfoHash infoHash) {
        sources.computeIfPresent(infoHash, (k, found) -> {
            List<PeerSource> rest = new ArrayList<>();
            for (PeerSource source : found) {
                if (source instanceof DhtPeerDiscovery) {
                    source.close();
                } else {
                    rest.add(source);
                }
            }
            return rest;
        });
    }

    /** {@code useDht}: find and announce it in the DHT too (false for a private torrent, BEP 27). */
    private void register(Torrent torrent, EventLoop loop, boolean useDht, List<HostAndPort> torrentNodes,
                          List<List<URI>> tiers) {
        if (torrents.putIfAbsent(torrent.infoHash(), torrent) != null) {
            throw new IllegalStateException("torrent " + torrent.infoHash().hex() + " is already in the session");
        }
        limits.added();
        skeys.add(torrent.infoHash());
        PeerSink sink = new PeerSink() {
            @Override
            public boolean needsPeers() {
                return torrent.needsPeers();
            }

            @Override
            public void offer(InetSocketAddress peer) {
                torrent.addPeers(List.of(peer), false);
            }
        };
        List<PeerSource> found = startSources(torrent.infoHash(), loop, useDht, torrentNodes, tiers, sink,
                event -> announceRequest(torrent, event), Duration.ZERO);
        sources.put(torrent.infoHash(), found);
        // BEP 5 and BEP 3: announce again as a seeder
        torrent.completion().thenRun(() -> found.forEach(PeerSource::torrentComplete));
    }

    /**
     * A torrent's peer sources, started: the DHT (when the session runs one and {@code useDht}) and its trackers,
     * announcing on {@code loop} with {@code requests}, the first after {@code firstAnnounce}.
     */
    private List<PeerSource> startSources(InfoHash infoHash, EventLoop loop, boolean useDht, List<HostAndPort> nodes,
                                          List<List<URI>> tiers, PeerSink sink,
                                          Function<AnnounceRequest.Event, AnnounceRequest> requests, Duration firstAnnounce) {
        List<PeerSource> found = new ArrayList<>();
        if (dht != null && useDht) {
            found.add(dht.discover(infoHash, nodes, localAddress().getPort(), sink));
        }
        if (!tiers.isEmpty()) {
            TrackerPeerSource t = new TrackerPeerSource(tiers, Scheduler.of(loop), trackerIo, trackers, requests, sink,
                    new Random(), infoHash.shortHex());
            t.start(firstAnnounce);
            found.add(t);
        }
        return found;
    }

    /** What we tell a tracker (on the torrent's loop, where its counters are read directly). */
    private AnnounceRequest announceRequest(Torrent torrent, AnnounceRequest.Event event) {
        SwarmStats s = torrent.stats();
        long left = s.totalBytes() == 0 ? 1 : s.totalBytes() - s.verifiedBytes(); // unknown before a magnet's metadata
        return new AnnounceRequest(torrent.infoHash(), peerId, localAddress().getPort(), s.uploadedBytes(),
                s.downloadedBytes(), left, event, trackerKey, 80);
    }

    /**
     * Stops sharing the torrent: its connections close, its peer source stops, and once every write queued
     * for it is done its resume data is saved and its files are closed (they stay on disk). Completes then;
     * at once when the session has no such torrent.
     */
    public CompletableFuture<Void> remove(InfoHash infoHash) {
        LazyTorrent lazy = lazies.remove(infoHash);
        if (lazy != null) {
            lazy.forget(); // after this it cannot join; if it already did, it is in torrents now
        }
        Torrent torrent = torrents.remove(infoHash);
        if (torrent == null && lazy == null) {
            return CompletableFuture.completedFuture(null);
        }
        skeys.remove(infoHash);
        List<PeerSource> found = sources.remove(infoHash);
        if (found != null) {
            found.forEach(PeerSource::close);
        }
        if (torrent == null) {
            return CompletableFuture.completedFuture(null); // asleep: nothing open, its resume data unchanged
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        // the core's stop queues its resume save; the files close after it and every write before it
        torrent.stop(() -> disk.afterQueuedWrites(() -> {
            torrent.store().ifPresent(store -> {
                try {
                    store.close();
                } catch (IOException e) {
                    log.warn("{}: cannot close its files: {}", infoHash.shortHex(), e.getMessage());
                }
            });
            closed.complete(null);
        }));
        return closed;
    }

    public Optional<Torrent> torrent(InfoHash infoHash) {
        return Optional.ofNullable(torrents.get(infoHash));
    }

    DiskWriter disk() {
        return disk;
    }

    /** Opens a magnet download's files once its metadata is known, off the event loops (it may re-hash). */
    CompletableFuture<PieceStore> openStorage(Metainfo metainfo, Path parentDir, List<FilePriority> priorities) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return openStore(metainfo, parentDir, priorities);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
    }

    FilePieceStore openStore(Metainfo metainfo, Path parentDir, List<FilePriority> priorities)
            throws IOException {
        Path resume = resumeFile(metainfo, parentDir);
        return resumeDirSwept ? FilePieceStore.openSwept(metainfo, parentDir, resume, priorities)
                : FilePieceStore.open(metainfo, parentDir, resume, priorities);
    }

    /** Where the resume data of {@code metainfo} lives: the session's resume folder, else beside the data. */
    public Path resumeFile(Metainfo metainfo, Path parentDir) {
        return config.resumeDir().map(d -> d.resolve(metainfo.infoHash().hex() + ".resume"))
                .orElseGet(() -> FilePieceStore.defaultResumeFile(metainfo, parentDir));
    }

    private PeerTorrent route(InfoHash infoHash) {
        Torrent running = torrents.get(infoHash);
        return running != null ? running : lazies.get(infoHash);
    }

    /**
     * Dials {@code address} for {@code torrent} on {@code loop}, its core's own event loop: with MSE first or
     * plain text first as the encryption policy says, trying the other way once when the first handshake
     * fails (as common clients do); the core hears of the dial only when the last attempt ends.
     */
    void connect(Torrent torrent, EventLoop loop, InetSocketAddress address) {
        dial(torrent, loop, address, config.encryption().dialAttempts(), 0);
    }

    private void dial(Torrent torrent, EventLoop loop, InetSocketAddress address, List<Boolean> attempts, int attempt) {
        boolean encrypted = attempts.get(attempt);
        new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .handler(PeerChannelInitializer.outgoing(peerId, torrent, config.encryption(), encrypted))
                .connect(address)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        log.info("cannot connect to peer {}: {}", address, f.cause().getMessage());
                        torrent.dialEnded(address);
                        return;
                    }
                    Channel ch = f.channel();
                    ch.closeFuture().addListener(closed -> {
                        boolean retry = attempt + 1 < attempts.size()
                                && PeerChannelInitializer.worthRetryingOtherWay(ch, encrypted)
                                && torrents.get(torrent.infoHash()) == torrent && !loop.isShuttingDown();
                        if (retry) {
                            log.debug("peer {}: {} handshake failed, trying {}", address,
                                    encrypted ? "encrypted" : "plain-text", encrypted ? "plain text" : "MSE");
                            dial(torrent, loop, address, attempts, attempt + 1);
                        } else {
                            torrent.dialEnded(address);
                        }
                    });
                });
    }

    /**
     * Stops the network, finishes disk writes, saves resume data and closes every store. The resume data is
     * not forced to disk here, so closing never waits for the disk: it is trusted until the machine reboots.
     */
    @Override
    public void close() {
        sources.values().forEach(found -> found.forEach(PeerSource::close)); // trackers hear "stopped"
        if (dht != null) {
            dht.close();
        }
        listener.close().awaitUninterruptibly();
        limits.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        disk.close();
        trackerIo.shutdown();
        try {
            trackerIo.awaitTermination(2, TimeUnit.SECONDS); // the "stopped" announces, briefly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trackerIo.shutdownNow();
        for (Torrent torrent : torrents.values()) {
            Optional<PieceStore> store = torrent.store();
            if (store.isEmpty()) {
                continue;
            }
            try {
                store.get().saveResume(false);
                store.get().close();
            } catch (IOException e) {
                log.warn("{}: cannot save resume data: {}", torrent.infoHash().shortHex(), e.getMessage());
            }
        }
    }
}
