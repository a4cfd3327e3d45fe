package io.kadtorrent.daemon;

import io.kadtorrent.daemon.Daemon.AddResult;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.UnaryOperator;

/**
 * Holds the daemon's torrents, each taken into the engine session once known, with its {@link TorrentEntry} saved
 * at every change. Its monitor is the daemon's one command lock: whatever changes a torrent holds it.
 */
final class TorrentLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TorrentLifecycle.class);

    private final StateDir state;
    private final Session session;
    /** Opens the files of added torrents, off the API's threads. */
    private final Executor checker;
    private final Map<InfoHash, ManagedTorrent> torrents = new ConcurrentHashMap<>();
    private final Summaries summaries;

    TorrentLifecycle(StateDir state, Session session, Executor checker) {
        this.state = state;
        this.session = session;
        this.checker = checker;
        this.summaries = new Summaries(state, torrents::containsKey);
    }

    Summaries summaries() {
        return summaries;
    }

    Collection<ManagedTorrent> all() {
        return torrents.values();
    }

    int size() {
        return torrents.size();
    }

    /** True while the daemon holds {@code mt} (not removed, nor replaced by the same torrent added again). */
    boolean holds(ManagedTorrent mt) {
        return torrents.get(mt.infoHash) == mt;
    }

    boolean holds(InfoHash infoHash) {
        return torrents.containsKey(infoHash);
    }

    /** Takes a torrent remembered in the state folder in, before it is brought back. */
    void put(ManagedTorrent mt) {
        torrents.put(mt.infoHash, mt);
    }

    /** Lets the torrent go: it is no longer listed, and callbacks of its swarm change nothing. */
    synchronized void drop(ManagedTorrent mt) {
        torrents.remove(mt.infoHash);
    }

    /** The torrent {@code id} names (an info_hash, a unique prefix of one, or a name). */
    synchronized ManagedTorrent get(String id) {
        ManagedTorrent mt = torrents.get(TorrentIds.resolve(id, torrents.values()));
        if (mt == null) {
            throw new TorrentIds.NoSuchTorrentException("no torrent matches " + id);
        }
        return mt;
    }

    /** Adds a torrent whose entry (and metainfo, unless a magnet) are known; the one already held when it is. */
    synchronized AddResult admit(TorrentEntry entry, Metainfo metainfo) throws IOException {
        InfoHash infoHash = InfoHash.parse(entry.infoHash());
        ManagedTorrent existing = torrents.get(infoHash);
        if (existing != null) {
            return new AddResult(TorrentViews.view(existing), true);
        }
        if (metainfo != null) {
            state.torrents().saveTorrent(infoHash, metainfo.toBytes()); // before the entry: an entry never lacks its torrent
        }
        state.torrents().save(entry);
        ManagedTorrent mt = new ManagedTorrent(entry);
        torrents.put(infoHash, mt);
        launch(mt, metainfo);
        log.info("added {} ({}) from {}", entry.name(), infoHash.shortHex(), entry.origin());
        return new AddResult(TorrentViews.view(mt), false);
    }

    /** Joins the torrent's swarm: a magnet at once, a torrent after its files are checked (off the API's threads). */
    void launch(ManagedTorrent mt, Metainfo metainfo) {
        launch(mt, metainfo, checker);
    }

    /** As {@link #launch(ManagedTorrent, Metainfo)}, opening the torrent's files on {@code opener}. */
    void launch(ManagedTorrent mt, Metainfo metainfo, Executor opener) {
        TorrentEntry entry = mt.entry();
        List<InetSocketAddress> peers = Admission.parsePeers(entry.peers());
        Path saveDir = Path.of(entry.saveDir());
        if (metainfo == null) {
            List<String> trackers = entry.magnet() == null ? List.of() : MagnetLink.parse(entry.magnet()).trackers();
            session.addMagnet(mt.infoHash, peers, trackers, saveDir, Admission.selectionOf(entry));
            Torrent t = session.torrent(mt.infoHash).orElseThrow();
            attach(mt, t);
            return;
        }
        mt.metainfo(metainfo);
        if (entry.completed() && !Files.exists(saveDir.resolve(metainfo.name()))) {
            mt.failed(Daemon.MISSING_FILES);
            log.warn("{}: its data is gone from {}; showing it as missing files", entry.name(), saveDir);
            return;
        }
        mt.checking(true);
        opener.execute(() -> open(mt, entry, metainfo, peers, saveDir));
    }

    /** Opens the torrent's files (its resume data checked, or its pieces hashed), then attaches its swarm. */
    private void open(ManagedTorrent mt, TorrentEntry entry, Metainfo metainfo, List<InetSocketAddress> peers,
                      Path saveDir) {
        if (!holds(mt)) {
            return; // removed while it waited
        }
        try {
            Torrent t = session.add(metainfo, saveDir, Admission.prioritiesOf(entry));
            synchronized (this) {
                if (!holds(mt)) {
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
    }

    /** The torrent runs as {@code t}: its remembered settings applied, its metadata and completion followed. */
    void attach(ManagedTorrent mt, Torrent t) {
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
                if (holds(mt)) {
                    mt.failed(failure.getMessage());
                }
            } else {
                if (holds(mt)) {
                    summaries.completed(mt.infoHash, TorrentSummary.of(t.metainfo()));
                }
                update(mt, TorrentEntry::withCompleted);
            }
        });
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
            state.torrents().saveTorrent(mt.infoHash, m.toBytes());
        } catch (IOException e) {
            log.warn("{}: cannot save its torrent file: {}", m.name(), e.getMessage());
            return;
        }
        update(mt, e -> e.withMetadata(m.name()));
    }

    /** Changes the torrent's entry and saves it; nothing when it is no longer held or nothing changed. */
    synchronized void update(ManagedTorrent mt, UnaryOperator<TorrentEntry> change) {
        if (!holds(mt)) {
            return;
        }
        TorrentEntry next = change.apply(mt.entry());
        if (next.equals(mt.entry())) {
            return;
        }
        mt.entry(next);
        try {
            state.torrents().save(next);
        } catch (IOException e) {
            log.warn("{}: cannot save its state: {}", next.name(), e.getMessage());
        }
    }

    /** The torrent's metainfo from the state folder, remembered once read. */
    Metainfo readMetainfo(ManagedTorrent mt) throws IOException {
        Optional<Metainfo> known = mt.metainfo();
        if (known.isPresent()) {
            return known.get();
        }
        byte[] bytes = state.torrents().readTorrent(mt.infoHash).orElseThrow(() -> new NoSuchFileException(
                state.torrents().torrentFile(mt.infoHash).toString(), null, "its torrent file is missing"));
        Metainfo m = Admission.parseTorrent(bytes);
        mt.metainfo(m);
        return m;
    }
}
