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
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
    private static final long REMOVE_TIMEOUT_SECONDS = 30;

    private final DaemonConfig config;
    private final StateDir state;
    private final Session session;
    private final ObjectMapper json = Json.mapper();
    private final Map<InfoHash, ManagedTorrent> torrents = new ConcurrentHashMap<>();
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> daemonThread(r, "kadtorrent-checker"));
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(r -> daemonThread(r, "kadtorrent-daemon"));
    private final List<Consumer<List<TorrentView>>> listeners = new CopyOnWriteArrayList<>();
    private final long startedNanos = System.nanoTime();
    private volatile List<TorrentView> lastList = List.of();
    private ApiServer api;
    private WatchFolder watch;

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
            daemon = new Daemon(config, state, session);
            daemon.restore();
            daemon.api = ApiServer.start(daemon, config.httpHost(), config.httpPort(), token);
            state.writeEndpoint(daemon.endpoint());
            daemon.timers.scheduleWithFixedDelay(daemon::sample, 0, SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
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
                             String share, String saveDir, boolean paused, List<String> peers) {
        public AddRequest {
            peers = peers == null ? List.of() : List.copyOf(peers);
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
        TorrentEntry entry = mt.entry();
        List<InetSocketAddress> peers = Admission.parsePeers(entry.peers());
        Path saveDir = Path.of(entry.saveDir());
        if (metainfo == null) {
            List<String> trackers = entry.magnet() == null ? List.of()
                    : io.kadtorrent.torrent.magnet.MagnetLink.parse(entry.magnet()).trackers();
            session.addMagnet(mt.infoHash, peers, trackers, saveDir);
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
        checker.execute(() -> {
            if (torrents.get(mt.infoHash) != mt) {
                return; // removed while it waited
            }
            try {
                Torrent t = session.add(metainfo, saveDir);
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
        if (mt.entry().paused()) {
            t.pause();
        }
        mt.running(t);
        t.metadata().thenAccept(m -> onMetadata(mt, m));
        t.completion().whenComplete((done, failure) -> {
            if (failure != null) {
                if (torrents.get(mt.infoHash) == mt) {
                    mt.failed(failure.getMessage());
                }
            } else {
                update(mt, TorrentEntry::withCompleted);
            }
        });
    }

    private void onMetadata(ManagedTorrent mt, Metainfo m) {
        mt.metainfo(m);
        if (mt.entry().magnet() == null) {
            return;
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

    /** Brings back every remembered torrent. */
    private void restore() throws IOException {
        for (TorrentEntry entry : state.entries()) {
            InfoHash infoHash = InfoHash.parse(entry.infoHash());
            ManagedTorrent mt = new ManagedTorrent(entry);
            torrents.put(infoHash, mt);
            try {
                Optional<byte[]> bytes = state.readTorrent(infoHash);
                if (bytes.isEmpty() && entry.magnet() == null) {
                    mt.failed("its torrent file is missing from " + state.torrentFile(infoHash));
                    continue;
                }
                launch(mt, bytes.isPresent() ? Admission.parseTorrent(bytes.get()) : null);
            } catch (IOException | RuntimeException e) {
                log.warn("cannot bring back {}: {}", entry.name(), e.getMessage());
                mt.failed(e.getMessage());
            }
        }
        if (!torrents.isEmpty()) {
            log.info("brought back {} torrents from {}", torrents.size(), state.path());
        }
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
        if (mt.problem().isPresent() && mt.torrent().isEmpty()) {
            Optional<byte[]> bytes = state.readTorrent(mt.infoHash);
            TorrentEntry retry = new TorrentEntry(mt.entry().infoHash(), mt.entry().name(), mt.entry().saveDir(),
                    mt.entry().origin(), mt.entry().magnet(), mt.entry().peers(), false, false, mt.entry().addedAt());
            mt.entry(retry);
            launch(mt, bytes.isPresent() ? Admission.parseTorrent(bytes.get()) : null);
        } else {
            mt.torrent().ifPresent(Torrent::resume);
        }
        return view(mt);
    }

    /** Stops the torrent and forgets it; with {@code deleteData} its files (and resume data) go too. */
    public TorrentView remove(String id, boolean deleteData) throws IOException {
        ManagedTorrent mt;
        synchronized (this) {
            mt = get(id);
            torrents.remove(mt.infoHash);
            state.forget(mt.infoHash);
        }
        TorrentView last = view(mt);
        if (mt.torrent().isPresent()) {
            try {
                session.remove(mt.infoHash).get(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while removing " + mt.entry().name(), e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot stop " + mt.entry().name() + ": " + e, e);
            }
        }
        if (mt.metainfo().isPresent()) {
            Files.deleteIfExists(session.resumeFile(mt.metainfo().get(), Path.of(mt.entry().saveDir())));
            if (deleteData) {
                DataFiles.delete(mt.metainfo().get(), Path.of(mt.entry().saveDir()));
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
                        .thenComparing(m -> m.infoHash.hex()))
                .map(this::view).toList();
    }


    /** The torrent's files, peers and pieces, with its counters read now. */
    public TorrentDetails details(String id) {
        ManagedTorrent mt = get(id);
        mt.sample(System.nanoTime());
        return TorrentViews.details(mt);
    }

    public List<PeerView> peers(String id) {
        return TorrentViews.peers(get(id));
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
        return new SessionView(torrents.size(), peers, down, up, downloaded, uploaded, end.tcp(), end.udp(), end.http(),
                (System.nanoTime() - startedNanos) / 1_000_000_000L);
    }

    /** {@code listener} gets the torrent list after every sample (about once a second), on the daemon's thread. */
    public Runnable subscribe(Consumer<List<TorrentView>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void sample() {
        long now = System.nanoTime();
        for (ManagedTorrent mt : torrents.values()) {
            try {
                mt.sample(now);
            } catch (RuntimeException e) {
                log.debug("{}: no sample: {}", mt.infoHash.shortHex(), e.getMessage());
            }
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

    /** Stops the API, the watch folder and the session (which saves resume data); the state folder stays. */
    @Override
    public void close() {
        timers.shutdownNow();
        if (api != null) {
            api.close();
        }
        checker.shutdownNow();
        try {
            checker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.close();
        try {
            state.removeEndpoint();
            state.close();
        } catch (IOException e) {
            log.warn("cannot release the state folder {}: {}", state.path(), e.getMessage());
        }
    }
}
