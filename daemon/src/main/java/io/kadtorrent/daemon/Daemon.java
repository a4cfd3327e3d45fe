package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.HostAndPort;
import io.kadtorrent.daemon.Views.PeerView;
import io.kadtorrent.daemon.Views.SessionView;
import io.kadtorrent.daemon.Views.TorrentDetails;
import io.kadtorrent.daemon.Views.TorrentView;
import io.kadtorrent.daemon.api.ApiServer;
import io.kadtorrent.daemon.api.Json;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The long-running client: one engine {@link Session} (one TCP port, one DHT node) holding any number of
 * torrents, remembered in a {@link StateDir} so that a restart, also after {@code kill -9}, brings every
 * torrent back; the control API ({@link ApiServer}) drives it through this class, the composition root, which
 * owns the threads of its collaborators ({@link TorrentLifecycle}, {@link Restorer}, {@link TorrentCommands},
 * {@link Sampler}, {@link SeedingQueue}). Commands hold one lock (the lifecycle's); checking files happens on a
 * thread of its own so the API never waits for a disk.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    public static final String MISSING_FILES = "missing files";
    private static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(30);
    private static final long SAMPLE_MILLIS = 1000;
    private static final int RESTORE_THREADS = Integer.getInteger("kadtorrent.restoreThreads",
            Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));

    private final DaemonConfig config;
    private final StateDir state;
    private final Session session;
    private final ObjectMapper json = Json.mapper();
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> daemonThread(r, "kadtorrent-checker"));
    /** Brings back the remembered torrents at start, one per core, then ends ({@link Restorer#restore}). */
    private final ExecutorService restorers = Executors.newFixedThreadPool(RESTORE_THREADS,
            r -> daemonThread(r, "kadtorrent-restore"));
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "kadtorrent-daemon"));
    private final TorrentLifecycle torrents;
    private final Restorer restorer;
    private final TorrentCommands commands;
    private final SeedingQueue queue;
    private final Sampler sampler;
    private final long startedNanos = System.nanoTime();
    private ApiServer api;
    private WatchFolder watch;
    private DhtPointerKeeper pointers;

    private Daemon(DaemonConfig config, StateDir state, Session session, SeedingPolicy policy) {
        this.config = config;
        this.state = state;
        this.session = session;
        this.torrents = new TorrentLifecycle(state, session, checker);
        this.restorer = new Restorer(state, session, torrents, restorers);
        this.commands = new TorrentCommands(state, session, torrents, restorer);
        this.queue = new SeedingQueue(state, torrents, policy);
        this.sampler = new Sampler(torrents, queue);
    }

    private static Thread daemonThread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Opens the state folder, binds every socket, brings back every remembered torrent and serves the API. */
    public static Daemon start(DaemonConfig config) throws IOException, InterruptedException {
        ObjectMapper json = Json.mapper();
        StateDir state = StateDir.open(config.stateDir(), json);
        Daemon daemon = null;
        try {
            String token = state.token();
            state.saveSettings(config.toSettings());
            Files.createDirectories(config.downloadDir());
            SessionConfig peers = config.sessionConfig(state.resumeDir());
            Session session = config.dhtPort() < 0 ? Session.start(peers)
                    : Session.start(peers, config.dhtConfig(state.dhtStateFile()), LOOKUP_INTERVAL);
            long[] limits = state.readLimits();
            session.setRateLimits(limits[0], limits[1]);
            daemon = new Daemon(config, state, session, state.readPolicy());
            daemon.restorer.restore();
            // before the API, which hands it pointers
            daemon.pointers = DhtPointerKeeper.start(session, state, daemon.timers);
            daemon.api = ApiServer.start(daemon, config.httpHost(), config.httpPort(), token);
            state.writeEndpoint(daemon.endpoint());
            daemon.sampleOnceRestored();
            if (config.watchDir().isPresent()) {
                daemon.watch = new WatchFolder(config.watchDir().get(), daemon);
                daemon.timers.scheduleWithFixedDelay(daemon.watch::scan, 0, WatchFolder.SCAN_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
            return daemon;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (daemon != null) {
                daemon.close();
            } else {
                state.close();
            }
            throw e;
        }
    }

    /**
     * Samples every torrent once a second from when the restore is over: a sample asks each running torrent's
     * event loop for its counters, and during a restart those hops (1,000 a second) only slowed the restore
     * down, for rates that are all zero until peers come.
     */
    private void sampleOnceRestored() {
        restorer.restored().whenComplete((v, e) -> {
            try {
                timers.scheduleWithFixedDelay(sampler::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // the daemon closed while it was still restoring
            }
        });
    }

    /**
     * Keeps a publisher's catalog pointer, which the caller has just put, alive in the DHT from now on
     * ({@code share --dht}); refused when the daemon runs no DHT node or the pointer does not verify.
     */
    public KeptPointer keepPointer(KeptPointer pointer) throws IOException {
        return pointers.keep(pointer);
    }

    /** The catalog pointers the daemon keeps alive (none without a DHT node). */
    public List<KeptPointer> keptPointers() {
        return pointers.list();
    }

    public DaemonEndpoint endpoint() {
        return new DaemonEndpoint(format(api.localAddress()), format(session.localAddress()),
                session.dhtAddress().map(Daemon::format).orElse(null), ProcessHandle.current().pid());
    }

    public InetSocketAddress httpAddress() {
        return api.localAddress();
    }

    public InetSocketAddress peerAddress() {
        return session.localAddress();
    }

    public Optional<InetSocketAddress> dhtAddress() {
        return session.dhtAddress();
    }

    public StateDir state() {
        return state;
    }

    static String format(InetSocketAddress a) {
        return HostAndPort.fromParts(a.getAddress().getHostAddress(), a.getPort()).toString();
    }

    // ---- adding ----

    /** What to add: exactly one of the sources, plus where and how. */
    public record AddRequest(byte[] torrent, String magnet, String infoHash, String name, String server,
                             String share, String saveDir, boolean paused, List<String> peers, List<String> only,
                             List<String> skip, boolean sequential) {
        public AddRequest {
            peers = peers == null ? List.of() : List.copyOf(peers);
            only = only == null ? List.of() : List.copyOf(only);
            skip = skip == null ? List.of() : List.copyOf(skip);
        }

        public AddRequest(byte[] torrent, String magnet, String infoHash, String name, String server, String share,
                          String saveDir, boolean paused, List<String> peers) {
            this(torrent, magnet, infoHash, name, server, share, saveDir, paused, peers, List.of(), List.of(), false);
        }
    }

    /** The torrent added, or the one already there ({@code existed}). */
    public record AddResult(TorrentView torrent, boolean existed) {
    }

    /** Adds a torrent from any source; bad input throws {@link IllegalArgumentException} with the reason. */
    public AddResult add(AddRequest request) throws IOException {
        Admission a = Admission.of(request, config.downloadDir());
        return torrents.admit(a.entry(), a.metainfo());
    }

    /**
     * Completes once every torrent remembered in the state folder is back: its files opened and its resume
     * data read (or its pieces re-hashed), or its failure shown. Torrents added since are not waited for.
     */
    public CompletableFuture<Void> restored() {
        return restorer.restored();
    }

    /** True while torrent {@code id} sleeps (back from a restart complete, not started since): for tests. */
    boolean isAsleep(String id) {
        return commands.isAsleep(id);
    }

    // ---- commands ----

    public TorrentView pause(String id) {
        return commands.pause(id);
    }

    /** Resumes a paused torrent; a torrent whose files were missing or failed to open is tried again. */
    public TorrentView resume(String id) throws IOException {
        return commands.resume(id);
    }

    /**
     * Sets the priority of the given files (by index in the torrent, or by glob as in {@code get --only});
     * the others keep theirs. Takes effect at once and is remembered.
     */
    public TorrentDetails setFilePriorities(String id, String priority, List<Integer> indices, List<String> globs)
            throws IOException {
        return commands.setFilePriorities(id, priority, indices, globs);
    }

    /**
     * Sets the session's rate limits in bytes per second (0: unlimited; null: unchanged), shared by all
     * torrents; remembered in the state folder.
     */
    public SessionView setSessionLimits(Long upload, Long download) throws IOException {
        synchronized (torrents) {
            long[] now = session.rateLimits();
            long up = TorrentCommands.checkLimit(upload, now[0]);
            long down = TorrentCommands.checkLimit(download, now[1]);
            state.saveLimits(up, down);
            session.setRateLimits(up, down);
            return sessionView();
        }
    }

    /** Sequential mode for one torrent: pieces in order, lowest index first (a whole download to watch as it comes). */
    public TorrentView setSequential(String id, boolean on) {
        return commands.setSequential(id, on);
    }

    /** Sets one torrent's own rate limits (bytes per second; 0: none; null: unchanged); remembered. */
    public TorrentView setTorrentLimits(String id, Long upload, Long download) {
        return commands.setTorrentLimits(id, upload, download);
    }

    /** What a stream reads: the running torrent, its files, and the file asked for. */
    public record StreamSource(Torrent torrent, Metainfo metainfo, PieceStore store, int fileIndex) {
        public String infoHash() {
            return metainfo.infoHash().hex();
        }
    }

    /**
     * The torrent {@code id} for a stream of file {@code fileIndex} (-1: its largest file), running with its
     * files open; a skipped file becomes wanted, since someone reads it.
     */
    public StreamSource streamSource(String id, int fileIndex) throws IOException {
        return commands.streamSource(id, fileIndex);
    }

    /**
     * The index of the file {@code file} names in torrent {@code id}: an index, or a glob as in
     * {@code get --only} (the first match); -1 (the largest file) when null.
     */
    public int findFile(String id, String file) {
        return commands.findFile(id, file);
    }

    /** Stops the torrent and forgets it; with {@code deleteData} its files (and resume data) go too. */
    public TorrentView remove(String id, boolean deleteData) throws IOException {
        return commands.remove(id, deleteData);
    }

    // ---- views ----

    /** Every torrent, oldest first, as of the last sample (at most a second old). */
    public List<TorrentView> list() {
        return sampler.list();
    }

    /** The torrent's files, peers and pieces, with its counters read now. */
    public TorrentDetails details(String id) throws IOException {
        return commands.details(id);
    }

    public List<PeerView> peers(String id) throws IOException {
        return commands.peers(id);
    }

    public SessionView sessionView() {
        return SessionView.of(sampler.lastList(), torrents.size(), endpoint(), session.rateLimits(),
                (System.nanoTime() - startedNanos) / 1_000_000_000L);
    }

    /** {@code listener} gets the torrent list after every sample (about once a second), on the daemon's thread. */
    public Runnable subscribe(Consumer<List<TorrentView>> listener) {
        return sampler.subscribe(listener);
    }

    public ObjectMapper json() {
        return json;
    }

    // ---- seeding limits and the queue ----

    public SeedingPolicy policy() {
        return queue.policy();
    }

    /** Sets the seeding limits and queue sizes; remembered in the state folder; applied from the next second. */
    public SeedingPolicy setPolicy(SeedingPolicy p) throws IOException {
        return queue.setPolicy(p);
    }

    /** Stops the API, the watch folder and the session (which saves resume data); the state folder stays. */
    @Override
    public void close() {
        timers.shutdownNow();
        if (api != null) {
            api.close();
        }
        restorers.shutdownNow();
        checker.shutdownNow();
        try {
            restorers.awaitTermination(30, TimeUnit.SECONDS);
            checker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        torrents.summaries().save();
        try {
            state.removeEndpoint();
            state.close();
        } catch (IOException e) {
            log.warn("cannot release the state folder {}: {}", state.path(), e.getMessage());
        }
    }
}
