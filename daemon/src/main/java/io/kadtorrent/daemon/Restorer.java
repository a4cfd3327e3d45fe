package io.kadtorrent.daemon;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.session.LazyTorrent;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Brings back the torrents remembered in the state folder at start, a complete one asleep until something first
 * needs its swarm ({@link #wake}).
 */
final class Restorer {

    private static final Logger log = LoggerFactory.getLogger(Restorer.class);
    /** How long a command waits for a sleeping torrent to open its files (a re-hash, if they changed, takes long). */
    private static final long WAKE_TIMEOUT_SECONDS = 600;
    /** Complete torrents come back asleep after a restart; {@code -Dkadtorrent.lazy=false} starts every one at once. */
    private static final boolean LAZY = !"false".equals(System.getProperty("kadtorrent.lazy"));

    private final StateDir state;
    private final Session session;
    private final TorrentLifecycle torrents;
    /** Reads, parses and opens the remembered torrents, one per core, then ends. */
    private final ExecutorService restorers;
    /** Completes once every remembered torrent has been brought back (its files opened, or its failure shown). */
    private final CompletableFuture<Void> restored = new CompletableFuture<>();

    Restorer(StateDir state, Session session, TorrentLifecycle torrents, ExecutorService restorers) {
        this.state = state;
        this.session = session;
        this.torrents = torrents;
        this.restorers = restorers;
    }

    /**
     * Brings back every remembered torrent: reads the entries, then reads, parses and opens each torrent (its
     * resume data checked, or its pieces re-hashed) on {@link #restorers}, one thread per core; returns once every
     * torrent is known (shown as checking until it runs), and {@link #restored} completes when all are back.
     */
    void restore() throws IOException {
        state.torrents().deleteOrphans();
        torrents.summaries().load();
        List<TorrentEntry> entries = state.torrents().entries(restorers);
        List<ManagedTorrent> back = new ArrayList<>(entries.size());
        for (TorrentEntry entry : entries) { // in order: the queue breaks ties by creation order
            ManagedTorrent mt = new ManagedTorrent(entry);
            mt.checking(true);
            torrents.put(mt);
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
            torrents.summaries().save(); // those of torrents that came back started, from older versions or a crash
            restored.complete(null);
        });
    }

    /** See {@link Daemon#restored()}. */
    CompletableFuture<Void> restored() {
        return restored.copy();
    }

    /** One remembered torrent: its .torrent read and parsed, its files opened, on the calling (restore) thread. */
    private void bringBack(ManagedTorrent mt) {
        if (!torrents.holds(mt)) {
            return; // removed meanwhile
        }
        TorrentEntry entry = mt.entry();
        try {
            if (sleep(mt)) {
                return;
            }
            Optional<byte[]> bytes = state.torrents().readTorrent(mt.infoHash);
            if (bytes.isEmpty() && entry.magnet() == null) {
                mt.failed("its torrent file is missing from " + state.torrents().torrentFile(mt.infoHash));
                return;
            }
            torrents.launch(mt, bytes.isPresent() ? Admission.parseTorrent(bytes.get()) : null, Runnable::run);
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
        TorrentSummary summary = torrents.summaries().get(mt.infoHash);
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
                () -> torrents.readMetainfo(mt), summary.usesDht(), summary.trackerTiers(), summary.nodes());
        if (lazy.isEmpty()) {
            return false;
        }
        mt.asleep(lazy.get(), summary.sizeBytes());
        lazy.get().started().whenComplete((t, failure) -> woken(mt, lazy.get(), t, failure));
        return true;
    }

    /** A sleeping torrent started (a peer or a command needed it) or could not: it runs, or shows why not. */
    private void woken(ManagedTorrent mt, LazyTorrent lazy, Torrent t, Throwable failure) {
        synchronized (torrents) {
            if (!torrents.holds(mt) || mt.lazy().orElse(null) != lazy) {
                return; // removed, or already attached
            }
            if (failure == null) {
                mt.metainfo(t.metainfo());
                t.addPeers(Admission.parsePeers(mt.entry().peers()), true);
                torrents.attach(mt, t);
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
            mt.failed(Daemon.MISSING_FILES);
        } else {
            mt.failed("cannot open files: " + cause.getMessage());
        }
    }

    /**
     * Starts a sleeping torrent for a command that needs its swarm or files, and waits until it runs or fails;
     * nothing for one that is not asleep. Never called with the daemon's lock held (starting takes it).
     */
    void wake(ManagedTorrent mt) throws IOException {
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

    /** As {@link #wake(ManagedTorrent)}, for the torrent {@code id} names, which it returns. */
    ManagedTorrent wake(String id) throws IOException {
        ManagedTorrent mt = torrents.get(id);
        wake(mt);
        return mt;
    }
}
