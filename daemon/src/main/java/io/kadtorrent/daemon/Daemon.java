package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.common.net.HostAndPort;
import io.kadtorrent.daemon.Views.PeerView;
import io.kadtorrent.daemon.Views.SessionView;
import io.kadtorrent.daemon.Views.TorrentDetails;
import io.kadtorrent.daemon.Views.TorrentView;
import io.kadtorrent.daemon.api.ApiServer;
import io.kadtorrent.daemon.api.Json;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.LazyTorrent;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The long-running client: one engine {@link Session} (one TCP port, one DHT node) holding any number of
 * torrents, remembered in a {@link StateDir} so that a restart, also after {@code kill -9}, brings every
 * torrent back; the control API ({@link ApiServer}) drives it. Commands are synchronized on the daemon;
 * checking files happens on a thread of its own so the API never waits for a disk.
 */
public final class Daemon implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    public static final String MISSING_FILES = "missing files";
    private static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(30);
    private static final long SAMPLE_MILLIS = 1000;
    /** How long a sample waits for the swarms' answers; a loop busier than that keeps its last sample. */
    private static final long SAMPLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long REMOVE_TIMEOUT_SECONDS = 30;
    /** How long a command waits for a sleeping torrent to open its files (a re-hash, if they changed, takes long). */
    private static final long WAKE_TIMEOUT_SECONDS = 600;
    /** Complete torrents come back asleep after a restart; {@code -Dkadtorrent.lazy=false} starts every one at once. */
    private static final boolean LAZY = !"false".equals(System.getProperty("kadtorrent.lazy"));
    /** How often the kept catalog pointers are checked for a put that is due. */
    private static final long POINTER_TICK_MILLIS = 60_000;

    private final DaemonConfig config;
    private final StateDir state;
    private final Session session;
    private final ObjectMapper json = Json.mapper();
    private final Map<InfoHash, ManagedTorrent> torrents = new ConcurrentHashMap<>();
    /** What a restart needs of each complete torrent to bring it back asleep, saved in the state folder. */
    private final Map<InfoHash, TorrentSummary> summaries = new ConcurrentHashMap<>();
    private volatile boolean summariesChanged;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> daemonThread(r, "kadtorrent-checker"));
    /** Brings back the remembered torrents at start, one per core, then ends ({@link #restore}). */
    private final ExecutorService restorers = Executors.newFixedThreadPool(RESTORE_THREADS,
            r -> daemonThread(r, "kadtorrent-restore"));
    private static final int RESTORE_THREADS = Integer.getInteger("kadtorrent.restoreThreads",
            Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors())));
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "kadtorrent-daemon"));
    private final List<Consumer<List<TorrentView>>> listeners = new CopyOnWriteArrayList<>();
    /** Completes once every remembered torrent has been brought back (its files opened, or its failure shown). */
    private final CompletableFuture<Void> restored = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();
    private volatile List<TorrentView> lastList = List.of();
    private volatile SeedingPolicy policy = SeedingPolicy.NONE;
    private long lastSampleNanos; // the sampler's thread only
    private long lastCountersSaved = System.nanoTime();
    private static final long COUNTERS_SAVE_NANOS = 60_000_000_000L;
    private ApiServer api;
    private WatchFolder watch;
    private CatalogPointers pointers; // null without a DHT node

    private Daemon(DaemonConfig config, StateDir state, Session session) {
        this.config = config;
        this.state = state;
        this.session = session;
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
            SessionConfig peers = SessionConfig.defaults().withBindHost(config.bindHost()).withPort(config.port())
                    .withResumeDir(state.resumeDir()).withEncryption(config.encryption());
            Session session = config.dhtPort() < 0 ? Session.start(peers)
                    : Session.start(peers, DhtConfig.defaults()
                            .withBindAddress(InetAddress.getByName(config.bindHost()))
                            .withPort(config.dhtPort())
                            .withBootstrap(config.bootstrap())
                            .withStateFile(state.dhtStateFile()), LOOKUP_INTERVAL);
            long[] limits = state.readLimits();
            session.setRateLimits(limits[0], limits[1]);
            daemon = new Daemon(config, state, session);
            daemon.policy = state.readPolicy();
            daemon.restore();
            daemon.keepPointersAlive(); // before the API, which hands it pointers
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
        restored.whenComplete((v, e) -> {
            try {
                timers.scheduleWithFixedDelay(this::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // the daemon closed while it was still restoring
            }
        });
    }

    /** With a DHT node: puts the kept catalog pointers again as they fall due, starting with a restart's. */
    private void keepPointersAlive() {
        session.dhtNode().ifPresent(node -> {
            pointers = CatalogPointers.restore(state,
                    item -> node.joined().thenCompose(joined -> node.put(item, OptionalLong.empty())), monotonicMillis());
            timers.scheduleWithFixedDelay(() -> pointers.tick(monotonicMillis()), 0, POINTER_TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
        });
    }

    private static long monotonicMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /**
     * Keeps a publisher's catalog pointer, which the caller has just put, alive in the DHT from now on
     * ({@code share --dht}); refused when the daemon runs no DHT node or the pointer does not verify.
     */
    public KeptPointer keepPointer(KeptPointer pointer) throws IOException {
        if (pointers == null) {
            throw new IllegalArgumentException("the daemon runs no DHT node (--dht-port -1): it cannot keep a pointer");
        }
        MutableItem item = pointer.item();
        pointers.keep(item, monotonicMillis());
        return KeptPointer.of(item);
    }

    /** The catalog pointers the daemon keeps alive (none without a DHT node). */
    public List<KeptPointer> keptPointers() {
        return pointers == null ? List.of() : pointers.list();
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
        return admit(a.entry(), a.metainfo());
    }

    private synchronized AddResult admit(TorrentEntry entry, Metainfo metainfo) throws IOException {
        InfoHash infoHash = InfoHash.parse(entry.infoHash());
        ManagedTorrent existing = torrents.get(infoHash);
        if (existing != null) {
            return new AddResult(view(existing), true);
        }
        if (metainfo != null) {
            state.saveTorrent(infoHash, metainfo.toBytes()); // before the entry: an entry never lacks its torrent
        }
        state.save(entry);
        ManagedTorrent mt = new ManagedTorrent(entry);
        torrents.put(infoHash, mt);
        launch(mt, metainfo);
        log.info("added {} ({}) from {}", entry.name(), infoHash.shortHex(), entry.origin());
        return new AddResult(view(mt), false);
    }

    /** Joins the torrent's swarm: a magnet at once, a torrent after its files are checked (off the API's threads). */
    private void launch(ManagedTorrent mt, Metainfo metainfo) {
        launch(mt, metainfo, checker);
    }

    /** As {@link #launch(ManagedTorrent, Metainfo)}, opening the torrent's files on {@code opener}. */
    private void launch(ManagedTorrent mt, Metainfo metainfo, Executor opener) {
        TorrentEntry entry = mt.entry();
        List<InetSocketAddress> peers = Admission.parsePeers(entry.peers());
        Path saveDir = Path.of(entry.saveDir());
        if (metainfo == null) {
            List<String> trackers = entry.magnet() == null ? List.of()
                    : io.kadtorrent.torrent.magnet.MagnetLink.parse(entry.magnet()).trackers();
            session.addMagnet(mt.infoHash, peers, trackers, saveDir, Admission.selectionOf(entry));
            Torrent t = session.torrent(mt.infoHash).orElseThrow();
            attach(mt, t);
            return;
        }
        mt.metainfo(metainfo);
        if (entry.completed() && !Files.exists(saveDir.resolve(metainfo.name()))) {
            mt.failed(MISSING_FILES);
            log.warn("{}: its data is gone from {}; showing it as missing files", entry.name(), saveDir);
            return;
        }
        mt.checking(true);
        opener.execute(() -> {
            if (torrents.get(mt.infoHash) != mt) {
                return; // removed while it waited
            }
            try {
                Torrent t = session.add(metainfo, saveDir, Admission.prioritiesOf(entry));
                synchronized (Daemon.this) {
                    if (torrents.get(mt.infoHash) != mt) {
                        session.remove(mt.infoHash); // removed while its files were checked
                        return;
                    }
                    t.addPeers(peers, true);
                    attach(mt, t);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("{}: cannot open its files under {}: {}", entry.name(), saveDir, e.getMessage());
                mt.failed("cannot open files: " + e.getMessage());
            }
        });
    }

    private void attach(ManagedTorrent mt, Torrent t) {
        if (mt.entry().paused() || mt.isQueued()) {
            t.pause();
        }
        if (mt.entry().uploadLimit() > 0 || mt.entry().downloadLimit() > 0) {
            t.setRateLimits(mt.entry().uploadLimit(), mt.entry().downloadLimit());
        }
        if (mt.entry().sequential()) {
            t.setSequential(true);
        }
        mt.running(t);
        t.metadata().thenAccept(m -> onMetadata(mt, m));
        t.completion().whenComplete((done, failure) -> {
            if (failure != null) {
                if (torrents.get(mt.infoHash) == mt) {
                    mt.failed(failure.getMessage());
                }
            } else {
                TorrentSummary summary = TorrentSummary.of(t.metainfo());
                if (torrents.get(mt.infoHash) == mt && !summary.equals(summaries.put(mt.infoHash, summary))) {
                    summariesChanged = true; // saved within a minute, after a restore, and on close
                }
                update(mt, TorrentEntry::withCompleted);
            }
        });
    }

    /** Saves the summaries of the torrents the daemon holds, when one was added or removed since the last save. */
    private void saveSummaries() {
        if (!summariesChanged) {
            return;
        }
        summariesChanged = false;
        Map<String, TorrentSummary> out = new TreeMap<>();
        summaries.forEach((infoHash, summary) -> {
            if (torrents.containsKey(infoHash)) {
                out.put(infoHash.hex(), summary);
            }
        });
        try {
            state.saveSummaries(out);
        } catch (IOException e) {
            summariesChanged = true;
            log.warn("cannot save the torrents' summaries: {}", e.getMessage());
        }
    }

    private void onMetadata(ManagedTorrent mt, Metainfo m) {
        mt.metainfo(m);
        if (mt.entry().magnet() == null) {
            return;
        }
        if (mt.entry().select() != null || !Admission.selectionOf(mt.entry()).isAll()) {
            try { // the same choice the session made for the magnet, remembered as priorities
                List<String> chosen = Admission.selectionOf(mt.entry()).priorities(m).stream()
                        .map(FilePriority::label).toList();
                update(mt, e -> e.withFilePriorities(chosen));
            } catch (IllegalArgumentException nothingChosen) {
                return; // the torrent fails with the reason
            }
        }
        try {
            state.saveTorrent(mt.infoHash, m.toBytes());
        } catch (IOException e) {
            log.warn("{}: cannot save its torrent file: {}", m.name(), e.getMessage());
            return;
        }
        update(mt, e -> e.withMetadata(m.name()));
    }

    private synchronized void update(ManagedTorrent mt, java.util.function.UnaryOperator<TorrentEntry> change) {
        if (torrents.get(mt.infoHash) != mt) {
            return;
        }
        TorrentEntry next = change.apply(mt.entry());
        if (next.equals(mt.entry())) {
            return;
        }
        mt.entry(next);
        try {
            state.save(next);
        } catch (IOException e) {
            log.warn("{}: cannot save its state: {}", next.name(), e.getMessage());
        }
    }

    /**
     * Brings back every remembered torrent: reads the entries, then reads, parses and opens each torrent (its
     * resume data checked, or its pieces re-hashed) on {@link #restorers}, one thread per core; returns once every
     * torrent is known (shown as checking until it runs), and {@link #restored} completes when all are back.
     */
    private void restore() throws IOException {
        state.deleteOrphans();
        state.readSummaries().forEach((hex, summary) -> {
            try {
                summaries.put(InfoHash.parse(hex), summary);
            } catch (RuntimeException e) {
                log.warn("ignoring the summary of {}: {}", hex, e.getMessage());
            }
        });
        List<TorrentEntry> entries = state.entries(restorers);
        List<ManagedTorrent> back = new ArrayList<>(entries.size());
        for (TorrentEntry entry : entries) { // in order: the queue breaks ties by creation order
            ManagedTorrent mt = new ManagedTorrent(entry);
            mt.checking(true);
            torrents.put(mt.infoHash, mt);
            back.add(mt);
        }
        List<CompletableFuture<Void>> done = new ArrayList<>(back.size());
        for (ManagedTorrent mt : back) { // taken in order by the pool's threads
            done.add(CompletableFuture.runAsync(() -> bringBack(mt), restorers));
        }
        restorers.shutdown(); // its threads end once the restore is done
        int count = back.size();
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            if (count > 0) {
                log.info("brought back {} torrents from {}", count, state.path());
            }
            saveSummaries(); // those of torrents that came back started, from older versions or a crash
            restored.complete(null);
        });
    }

    /** One remembered torrent: its .torrent read and parsed, its files opened, on the calling (restore) thread. */
    private void bringBack(ManagedTorrent mt) {
        if (torrents.get(mt.infoHash) != mt) {
            return; // removed meanwhile
        }
        TorrentEntry entry = mt.entry();
        try {
            if (sleep(mt)) {
                return;
            }
            Optional<byte[]> bytes = state.readTorrent(mt.infoHash);
            if (bytes.isEmpty() && entry.magnet() == null) {
                mt.failed("its torrent file is missing from " + state.torrentFile(mt.infoHash));
                return;
            }
            launch(mt, bytes.isPresent() ? Admission.parseTorrent(bytes.get()) : null, Runnable::run);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot bring back {}: {}", entry.name(), e.getMessage());
            mt.failed(e.getMessage());
        }
    }

    /**
     * Brings back a complete torrent asleep, when it can: registered in the session from its summary and
     * its resume data (which must say every piece is verified), without reading its .torrent, opening its files
     * or building its swarm; it starts on first need ({@link #wake}). False when it must start now: not known
     * complete, its summary from an older run that did not keep its trackers, DHT nodes and private flag, skipped files,
     * or resume data that does not say complete. Asleep, it announces to the DHT (unless private) and to its trackers
     * as a seed; a peer either names wakes it. Its data gone from the save folder shows as missing files now, as
     * for a started torrent; files changed in place are found when it wakes (their pieces are checked again then).
     */
    private boolean sleep(ManagedTorrent mt) {
        TorrentEntry entry = mt.entry();
        TorrentSummary summary = summaries.get(mt.infoHash);
        List<FilePriority> priorities = Admission.prioritiesOf(entry);
        if (!LAZY || summary == null || !summary.knowsPeerSources() || !entry.completed() || entry.magnet() != null
                || priorities.contains(FilePriority.SKIP)) {
            return false;
        }
        Path saveDir = Path.of(entry.saveDir());
        if (!Files.exists(saveDir.resolve(entry.name()))) {
            return false; // launch says missing files, as for any complete torrent
        }
        Optional<LazyTorrent> lazy = session.addLazy(mt.infoHash, summary.pieceCount(), saveDir, priorities,
                () -> readMetainfo(mt), summary.usesDht(), summary.trackerTiers(), summary.nodes());
        if (lazy.isEmpty()) {
            return false;
        }
        mt.asleep(lazy.get(), summary.sizeBytes());
        lazy.get().started().whenComplete((t, failure) -> woken(mt, lazy.get(), t, failure));
        return true;
    }

    /** The torrent's metainfo from the state folder, remembered once read. */
    private Metainfo readMetainfo(ManagedTorrent mt) throws IOException {
        Optional<Metainfo> known = mt.metainfo();
        if (known.isPresent()) {
            return known.get();
        }
        byte[] bytes = state.readTorrent(mt.infoHash).orElseThrow(() -> new NoSuchFileException(
                state.torrentFile(mt.infoHash).toString(), null, "its torrent file is missing"));
        Metainfo m = Admission.parseTorrent(bytes);
        mt.metainfo(m);
        return m;
    }

    /** A sleeping torrent started (a peer or a command needed it) or could not: it runs, or shows why not. */
    private void woken(ManagedTorrent mt, LazyTorrent lazy, Torrent t, Throwable failure) {
        synchronized (this) {
            if (torrents.get(mt.infoHash) != mt || mt.lazy().orElse(null) != lazy) {
                return; // removed, or already attached
            }
            if (failure == null) {
                mt.metainfo(t.metainfo());
                t.addPeers(Admission.parsePeers(mt.entry().peers()), true);
                attach(mt, t);
                log.info("{}: started on first need", mt.entry().name());
                return;
            }
        }
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof CancellationException) {
            return; // removed
        }
        if (cause instanceof NoSuchFileException) {
            log.warn("{}: its data is gone from {}; showing it as missing files", mt.entry().name(), mt.entry().saveDir());
            mt.failed(MISSING_FILES);
        } else {
            mt.failed("cannot open files: " + cause.getMessage());
        }
    }

    /**
     * Starts a sleeping torrent for a command that needs its swarm or files, and waits until it runs or fails;
     * nothing for one that is not asleep. Never called with the daemon's lock held (starting takes it).
     */
    private void wake(ManagedTorrent mt) throws IOException {
        Optional<LazyTorrent> lazy = mt.lazy();
        if (lazy.isEmpty() || mt.torrent().isPresent()) {
            return;
        }
        try {
            Torrent t = lazy.get().materialise().get(WAKE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            woken(mt, lazy.get(), t, null); // the same as the future's own callback: whichever runs first attaches
        } catch (ExecutionException e) {
            woken(mt, lazy.get(), null, e.getCause());
        } catch (CancellationException e) {
            // removed meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + mt.entry().name(), e);
        } catch (TimeoutException e) {
            throw new IOException("cannot start " + mt.entry().name() + " within " + WAKE_TIMEOUT_SECONDS + " s", e);
        }
    }

    private ManagedTorrent wake(String id) throws IOException {
        ManagedTorrent mt;
        synchronized (this) {
            mt = get(id);
        }
        wake(mt);
        return mt;
    }

    /** True while torrent {@code id} sleeps (back from a restart complete, not started since): for tests. */
    synchronized boolean isAsleep(String id) {
        return get(id).isAsleep();
    }

    /**
     * Completes once every torrent remembered in the state folder is back: its files opened and its resume
     * data read (or its pieces re-hashed), or its failure shown. Torrents added since are not waited for.
     */
    public CompletableFuture<Void> restored() {
        return restored.copy();
    }

    // ---- commands ----

    private ManagedTorrent get(String id) {
        ManagedTorrent mt = torrents.get(TorrentIds.resolve(id, torrents.values()));
        if (mt == null) {
            throw new TorrentIds.NoSuchTorrentException("no torrent matches " + id);
        }
        return mt;
    }

    public synchronized TorrentView pause(String id) {
        ManagedTorrent mt = get(id);
        update(mt, e -> e.withPaused(true));
        mt.torrent().ifPresent(Torrent::pause);
        return view(mt);
    }

    /** Resumes a paused torrent; a torrent whose files were missing or failed to open is tried again. */
    public synchronized TorrentView resume(String id) throws IOException {
        ManagedTorrent mt = get(id);
        update(mt, e -> e.withPaused(false));
        if (mt.entry().seeding().finished() != null) { // the user wants it to seed on: limits no longer stop it
            TorrentEntry.Seeding s = mt.entry().seeding();
            update(mt, e -> e.withSeeding(new TorrentEntry.Seeding(s.uploadedBytes(), s.seededSeconds(), null, true)));
        }
        if (mt.problem().isPresent() && mt.torrent().isEmpty()) {
            Optional<byte[]> bytes = state.readTorrent(mt.infoHash);
            TorrentEntry retry = mt.entry().withPaused(false).withMoreWanted();
            mt.entry(retry);
            launch(mt, bytes.isPresent() ? Admission.parseTorrent(bytes.get()) : null);
        } else if (!mt.isQueued()) { // a queued torrent starts when the queue says
            mt.torrent().ifPresent(Torrent::resume);
        }
        return view(mt);
    }

    /**
     * Sets the priority of the given files (by index in the torrent, or by glob as in {@code get --only});
     * the others keep theirs. Takes effect at once and is remembered.
     */
    public TorrentDetails setFilePriorities(String id, String priority, List<Integer> indices, List<String> globs)
            throws IOException {
        wake(id); // a priority is the swarm's to apply, and its file list is in the .torrent
        prioritiesChanged(id, priority, indices, globs);
        // asked without the daemon's lock: the swarm's loop may be waiting for it (a completion being remembered)
        return details(id);
    }

    private synchronized void prioritiesChanged(String id, String priority, List<Integer> indices, List<String> globs) {
        ManagedTorrent mt = get(id);
        FilePriority p = FilePriority.parse(priority == null ? "" : priority);
        Metainfo m = mt.metainfo().orElseThrow(() -> new IllegalArgumentException(
                "the file list of " + mt.entry().name() + " is not known yet (its metadata is still coming)"));
        List<FilePriority> current = Admission.prioritiesOf(mt.entry());
        List<FilePriority> next = new ArrayList<>(current.isEmpty()
                ? Collections.nCopies(m.files().size(), FilePriority.NORMAL) : current);
        Set<Integer> chosen = new TreeSet<>();
        for (int i : indices == null ? List.<Integer>of() : indices) {
            if (i < 0 || i >= m.files().size() || !m.files().get(i).isData()) {
                throw new IllegalArgumentException("no file " + i + " in " + m.name() + " (see the file list for indices)");
            }
            chosen.add(i);
        }
        if (globs != null && !globs.isEmpty()) {
            List<FilePriority> matched = new FileSelection(globs, List.of(), List.of()).priorities(m);
            for (int i = 0; i < matched.size(); i++) {
                if (matched.get(i) != FilePriority.SKIP && m.files().get(i).isData()) {
                    chosen.add(i);
                }
            }
        }
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("say which files: files (indices) or globs");
        }
        // only a file that was skipped can add to what is wanted: then the torrent downloads again
        boolean more = p != FilePriority.SKIP && chosen.stream().anyMatch(i -> next.get(i) == FilePriority.SKIP);
        chosen.forEach(i -> next.set(i, p));
        mt.torrent().ifPresent(t -> t.setFilePriorities(next));
        update(mt, e -> {
            TorrentEntry changed = e.withFilePriorities(next.stream().map(FilePriority::label).toList());
            return more ? changed.withMoreWanted() : changed;
        });
        if (more) {
            mt.wantsMore();
        }
    }

    /**
     * Sets the session's rate limits in bytes per second (0: unlimited; null: unchanged), shared by all
     * torrents; remembered in the state folder.
     */
    public synchronized SessionView setSessionLimits(Long upload, Long download) throws IOException {
        long[] now = session.rateLimits();
        long up = checkLimit(upload, now[0]);
        long down = checkLimit(download, now[1]);
        state.saveLimits(up, down);
        session.setRateLimits(up, down);
        return sessionView();
    }

    /** Sequential mode for one torrent: pieces in order, lowest index first (a whole download to watch as it comes). */
    public synchronized TorrentView setSequential(String id, boolean on) {
        ManagedTorrent mt = get(id);
        update(mt, e -> e.withSequential(on));
        mt.torrent().ifPresent(t -> t.setSequential(on));
        return view(mt);
    }

    /** Sets one torrent's own rate limits (bytes per second; 0: none; null: unchanged); remembered. */
    public synchronized TorrentView setTorrentLimits(String id, Long upload, Long download) {
        ManagedTorrent mt = get(id);
        long up = checkLimit(upload, mt.entry().uploadLimit());
        long down = checkLimit(download, mt.entry().downloadLimit());
        update(mt, e -> e.withLimits(up, down));
        mt.torrent().ifPresent(t -> t.setRateLimits(up, down));
        return view(mt);
    }

    private static long checkLimit(Long given, long current) {
        if (given == null) {
            return current;
        }
        if (given < 0) {
            throw new IllegalArgumentException("a rate limit is bytes per second, 0 for none: " + given);
        }
        return given;
    }

    /** What a stream reads: the running torrent, its files, and the file asked for. */
    public record StreamSource(Torrent torrent, Metainfo metainfo, io.kadtorrent.engine.storage.PieceStore store,
                               int fileIndex) {
        public String infoHash() {
            return metainfo.infoHash().hex();
        }
    }

    /**
     * The torrent {@code id} for a stream of file {@code fileIndex} (-1: its largest file), running with its
     * files open; a skipped file becomes wanted, since someone reads it.
     */
    public StreamSource streamSource(String id, int fileIndex) throws IOException {
        ManagedTorrent mt = wake(id);
        Torrent t = mt.torrent().orElseThrow(() -> new IllegalArgumentException(
                mt.entry().name() + " is not running (" + mt.state() + ")"));
        Metainfo m = mt.metainfo().orElseThrow(() -> new IllegalArgumentException(
                "the file list of " + mt.entry().name() + " is not known yet"));
        io.kadtorrent.engine.storage.PieceStore store = t.store().orElseThrow(() -> new IllegalArgumentException(
                "the files of " + mt.entry().name() + " are not open yet"));
        int index = fileIndex >= 0 ? fileIndex : largestFile(m);
        if (index >= m.files().size() || !m.files().get(index).isData()) {
            throw new TorrentIds.NoSuchTorrentException("no file " + fileIndex + " in " + m.name());
        }
        List<FilePriority> priorities = Admission.prioritiesOf(mt.entry());
        if (!priorities.isEmpty() && priorities.get(index) == FilePriority.SKIP) {
            setFilePriorities(mt.infoHash.hex(), FilePriority.NORMAL.label(), List.of(index), List.of());
        }
        return new StreamSource(t, m, store, index);
    }

    /**
     * The index of the file {@code file} names in torrent {@code id}: an index, or a glob as in
     * {@code get --only} (the first match); -1 (the largest file) when null.
     */
    public int findFile(String id, String file) {
        if (file == null || file.isBlank()) {
            return -1;
        }
        if (file.matches("\\d{1,9}")) {
            return Integer.parseInt(file);
        }
        ManagedTorrent mt;
        synchronized (this) {
            mt = get(id);
        }
        Optional<Metainfo> known = mt.metainfo();
        if (known.isEmpty() && mt.isAsleep()) {
            try {
                known = Optional.of(readMetainfo(mt));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the torrent of " + mt.entry().name() + ": " + e.getMessage(), e);
            }
        }
        Metainfo m = known.orElseThrow(() -> new IllegalArgumentException(
                "the file list of " + mt.entry().name() + " is not known yet"));
        List<FilePriority> matched = new FileSelection(List.of(file), List.of(), List.of()).priorities(m);
        for (int i = 0; i < matched.size(); i++) {
            if (matched.get(i) != FilePriority.SKIP && m.files().get(i).isData()) {
                return i;
            }
        }
        throw new IllegalArgumentException("no file of " + m.name() + " matches " + file);
    }

    private static int largestFile(Metainfo m) {
        int best = 0;
        for (int i = 1; i < m.files().size(); i++) {
            if (m.files().get(i).isData() && m.files().get(i).lengthBytes() > m.files().get(best).lengthBytes()) {
                best = i;
            }
        }
        return best;
    }

    /** Stops the torrent and forgets it; with {@code deleteData} its files (and resume data) go too. */
    public TorrentView remove(String id, boolean deleteData) throws IOException {
        ManagedTorrent mt;
        synchronized (this) {
            mt = get(id);
            torrents.remove(mt.infoHash);
        }
        TorrentView last = view(mt);
        Optional<Metainfo> meta = mt.metainfo();
        if (meta.isEmpty() && mt.lazy().isPresent()) {
            meta = Optional.of(readMetainfo(mt)); // asleep: the files to delete are named in its .torrent
        }
        if (mt.torrent().isPresent() || mt.lazy().isPresent()) {
            try {
                session.remove(mt.infoHash).get(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing " + mt.entry().name(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot stop " + mt.entry().name() + ": " + e, e);
            }
        }
        if (meta.isPresent()) {
            Path resume = session.resumeFile(meta.get(), Path.of(mt.entry().saveDir()));
            Files.deleteIfExists(resume);
            Files.deleteIfExists(resume.resolveSibling(mt.infoHash.hex() + ".parts")); // skipped files' pieces
            if (deleteData) {
                DataFiles.delete(meta.get(), Path.of(mt.entry().saveDir()));
            }
        }
        // The entry goes last: a crash before this brings the torrent back at the next start (its removal was
        // never answered), never leaves its resume data or files behind with nothing that names them.
        synchronized (this) {
            if (!torrents.containsKey(mt.infoHash)) { // unless it was added again meanwhile
                summariesChanged |= summaries.remove(mt.infoHash) != null;
                state.forget(mt.infoHash);
            }
        }
        log.info("removed {} ({}){}", mt.entry().name(), mt.infoHash.shortHex(), deleteData ? " and its data" : "");
        return last;
    }

    // ---- views ----

    /** Every torrent, oldest first, as of the last sample (at most a second old). */
    public List<TorrentView> list() {
        return torrents.values().stream()
                .sorted(Comparator.comparingLong((ManagedTorrent m) -> m.entry().addedAt())
                        .thenComparing(m -> m.infoHash)) // byte order, the same as the hex strings' order
                .map(this::view).toList();
    }


    /** The torrent's files, peers and pieces, with its counters read now. */
    public TorrentDetails details(String id) throws IOException {
        ManagedTorrent mt = wake(id); // its files, pieces and peers are the swarm's
        mt.sample(System.nanoTime());
        return TorrentViews.details(mt);
    }

    public List<PeerView> peers(String id) throws IOException {
        return TorrentViews.peers(wake(id));
    }

    TorrentView view(ManagedTorrent mt) {
        return TorrentViews.view(mt);
    }






    public SessionView sessionView() {
        List<TorrentView> all = lastList;
        long down = 0;
        long up = 0;
        long downloaded = 0;
        long uploaded = 0;
        int peers = 0;
        for (TorrentView v : all) {
            down += v.downRate();
            up += v.upRate();
            downloaded += v.downloadedBytes();
            uploaded += v.uploadedBytes();
            peers += v.peers();
        }
        DaemonEndpoint end = endpoint();
        long[] limits = session.rateLimits();
        return new SessionView(torrents.size(), peers, down, up, downloaded, uploaded, end.tcp(), end.udp(), end.http(),
                (System.nanoTime() - startedNanos) / 1_000_000_000L, limits[0], limits[1]);
    }

    /** A swarm asked for its counters, and its answer to come. */
    private record Asked(Torrent torrent, CompletableFuture<SwarmStats> stats) {
    }

    /** {@code listener} gets the torrent list after every sample (about once a second), on the daemon's thread. */
    public Runnable subscribe(Consumer<List<TorrentView>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void sample() {
        long now = System.nanoTime();
        long interval = lastSampleNanos == 0 ? 0 : now - lastSampleNanos;
        lastSampleNanos = now;
        // every swarm is asked first and answered on its loop, then the answers are collected: one burst of
        // tasks per loop, where asking one by one cost a thread hand-off each (at 1,000 idle torrents, 4 % of a core)
        Map<ManagedTorrent, Asked> asked = new HashMap<>();
        for (ManagedTorrent mt : torrents.values()) {
            mt.torrent().ifPresent(t -> asked.put(mt, new Asked(t, t.statsAsync())));
        }
        long deadline = now + SAMPLE_WAIT_NANOS;
        for (ManagedTorrent mt : torrents.values()) {
            try {
                Asked a = asked.get(mt);
                if (a == null) {
                    mt.sample(now);
                } else {
                    mt.sample(now, a.torrent, a.stats.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
                mt.countSeeding(now, interval);
                if (mt.caughtUp()) {
                    update(mt, TorrentEntry::withCompleted);
                }
            } catch (TimeoutException busy) {
                log.debug("{}: no sample: its loop did not answer within {} ms", mt.infoHash.shortHex(),
                        TimeUnit.NANOSECONDS.toMillis(SAMPLE_WAIT_NANOS)); // the last sample stands
            } catch (ExecutionException | RuntimeException e) {
                log.debug("{}: no sample: {}", mt.infoHash.shortHex(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return; // the daemon is stopping
            }
        }
        try {
            applyPolicy(now);
        } catch (RuntimeException e) {
            log.warn("seeding limits and queue: {}", e.toString());
        }
        List<TorrentView> views = list();
        lastList = views;
        for (Consumer<List<TorrentView>> l : listeners) {
            try {
                l.accept(views);
            } catch (RuntimeException e) {
                log.debug("a listener failed: {}", e.toString());
            }
        }
    }

    public ObjectMapper json() {
        return json;
    }

    // ---- seeding limits and the queue ----

    public SeedingPolicy policy() {
        return policy;
    }

    /** Sets the seeding limits and queue sizes; remembered in the state folder; applied from the next second. */
    public synchronized SeedingPolicy setPolicy(SeedingPolicy p) throws IOException {
        state.savePolicy(p);
        policy = p;
        return p;
    }

    /**
     * Once a second: a complete torrent past a seeding limit stops (state {@code finished}); then at most
     * {@code activeDownloads} torrents download and {@code activeSeeds} seed, first added first, the
     * others {@code queued}. Counters are remembered about once a minute.
     */
    private synchronized void applyPolicy(long now) {
        SeedingPolicy p = policy;
        boolean save = now - lastCountersSaved >= COUNTERS_SAVE_NANOS;
        if (save) {
            lastCountersSaved = now;
            saveSummaries();
        }
        List<ManagedTorrent> downloading = new ArrayList<>();
        List<ManagedTorrent> seeding = new ArrayList<>();
        for (ManagedTorrent mt : torrents.values()) {
            Optional<Torrent> t = mt.torrent();
            boolean asleep = mt.isAsleep(); // complete: it seeds (and counts) as a started torrent would
            if (save && (t.isPresent() || asleep) && !mt.seedingNow().equals(mt.entry().seeding())) {
                TorrentEntry.Seeding counters = mt.seedingNow();
                update(mt, e -> e.withSeeding(counters));
            }
            if (mt.entry().paused() || (!asleep && (t.isEmpty() || mt.metainfo().isEmpty()))) {
                continue;
            }
            boolean complete = asleep || (t.get().completion().isDone() && !t.get().completion().isCompletedExceptionally()
                    && !"downloading".equals(mt.state()));
            if (complete && !mt.isQueued() && !mt.entry().seeding().exempt()) {
                long size = Math.max(1, asleep ? mt.asleepSizeBytes() : mt.metainfo().get().totalBytes());
                String reason = p.stopReason(mt.uploadedTotal() / (double) size, mt.seededSeconds(), mt.idleSeconds(now));
                if (reason != null) {
                    TorrentEntry.Seeding s = mt.seedingNow();
                    update(mt, e -> e.withSeeding(new TorrentEntry.Seeding(s.uploadedBytes(), s.seededSeconds(), reason,
                            false)).withPaused(true));
                    t.ifPresent(Torrent::pause);
                    log.info("{}: stopped seeding: {}", mt.entry().name(), reason);
                    continue;
                }
            }
            (complete ? seeding : downloading).add(mt);
        }
        queue(downloading, p.activeDownloads());
        queue(seeding, p.activeSeeds());
    }

    /** The first {@code allowed} (by when they were added) run; the others wait, paused by the daemon. */
    private static void queue(List<ManagedTorrent> wanting, int allowed) {
        wanting.sort(Comparator.comparingLong((ManagedTorrent mt) -> mt.entry().addedAt())
                .thenComparingLong(mt -> mt.order));
        for (int i = 0; i < wanting.size(); i++) {
            ManagedTorrent mt = wanting.get(i);
            boolean run = allowed == 0 || i < allowed;
            if (run && mt.isQueued()) {
                mt.queued(false);
                mt.torrent().ifPresent(Torrent::resume);
            } else if (!run && !mt.isQueued()) {
                mt.queued(true);
                mt.torrent().ifPresent(Torrent::pause);
            }
        }
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
        saveSummaries();
        try {
            state.removeEndpoint();
            state.close();
        } catch (IOException e) {
            log.warn("cannot release the state folder {}: {}", state.path(), e.getMessage());
        }
    }
}
