package io.kadtorrent.daemon;

import io.kadtorrent.daemon.Daemon.StreamSource;
import io.kadtorrent.daemon.Views.PeerView;
import io.kadtorrent.daemon.Views.TorrentDetails;
import io.kadtorrent.daemon.Views.TorrentView;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries out the control API's commands on one torrent, each remembered in its entry; see {@link Daemon} for
 * their contracts. A command that changes a torrent holds the daemon's lock ({@link TorrentLifecycle}).
 */
final class TorrentCommands {

    private static final Logger log = LoggerFactory.getLogger(TorrentCommands.class);
    private static final long REMOVE_TIMEOUT_SECONDS = 30;

    private final StateDir state;
    private final Session session;
    private final TorrentLifecycle torrents;
    private final Restorer restorer;

    TorrentCommands(StateDir state, Session session, TorrentLifecycle torrents, Restorer restorer) {
        this.state = state;
        this.session = session;
        this.torrents = torrents;
        this.restorer = restorer;
    }

    TorrentDetails details(String id) throws IOException {
        ManagedTorrent mt = restorer.wake(id); // its files, pieces and peers are the swarm's
        mt.sample(System.nanoTime());
        return TorrentViews.details(mt);
    }

    List<PeerView> peers(String id) throws IOException {
        return TorrentViews.peers(restorer.wake(id));
    }

    boolean isAsleep(String id) {
        return torrents.get(id).isAsleep();
    }

    TorrentView pause(String id) {
        synchronized (torrents) {
            ManagedTorrent mt = torrents.get(id);
            torrents.update(mt, e -> e.withPaused(true));
            mt.torrent().ifPresent(Torrent::pause);
            return TorrentViews.view(mt);
        }
    }

    TorrentView resume(String id) throws IOException {
        synchronized (torrents) {
            ManagedTorrent mt = torrents.get(id);
            torrents.update(mt, e -> e.withPaused(false));
            if (mt.entry().seeding().finished() != null) { // the user wants it to seed on: limits no longer stop it
                TorrentEntry.Seeding s = mt.entry().seeding();
                torrents.update(mt, e -> e.withSeeding(new TorrentEntry.Seeding(s.uploadedBytes(), s.seededSeconds(),
                        null, true)));
            }
            if (mt.problem().isPresent() && mt.torrent().isEmpty()) {
                Optional<byte[]> bytes = state.torrents().readTorrent(mt.infoHash);
                TorrentEntry retry = mt.entry().withPaused(false).withMoreWanted();
                mt.entry(retry);
                torrents.launch(mt, bytes.isPresent() ? Admission.parseTorrent(bytes.get()) : null);
            } else if (!mt.isQueued()) { // a queued torrent starts when the queue says
                mt.torrent().ifPresent(Torrent::resume);
            }
            return TorrentViews.view(mt);
        }
    }

    TorrentDetails setFilePriorities(String id, String priority, List<Integer> indices, List<String> globs)
            throws IOException {
        restorer.wake(id); // a priority is the swarm's to apply, and its file list is in the .torrent
        prioritiesChanged(id, priority, indices, globs);
        // asked without the daemon's lock: the swarm's loop may be waiting for it (a completion being remembered)
        return details(id);
    }

    private void prioritiesChanged(String id, String priority, List<Integer> indices, List<String> globs) {
        synchronized (torrents) {
            ManagedTorrent mt = torrents.get(id);
            FilePriority p = FilePriority.parse(priority == null ? "" : priority);
            Metainfo m = mt.metainfo().orElseThrow(() -> new IllegalArgumentException(
                    "the file list of " + mt.entry().name() + " is not known yet (its metadata is still coming)"));
            List<FilePriority> current = Admission.prioritiesOf(mt.entry());
            List<FilePriority> next = new ArrayList<>(current.isEmpty()
                    ? Collections.nCopies(m.files().size(), FilePriority.NORMAL) : current);
            Set<Integer> chosen = chosenFiles(m, indices, globs);
            // only a file that was skipped can add to what is wanted: then the torrent downloads again
            boolean more = p != FilePriority.SKIP && chosen.stream().anyMatch(i -> next.get(i) == FilePriority.SKIP);
            chosen.forEach(i -> next.set(i, p));
            mt.torrent().ifPresent(t -> t.setFilePriorities(next));
            torrents.update(mt, e -> {
                TorrentEntry changed = e.withFilePriorities(next.stream().map(FilePriority::label).toList());
                return more ? changed.withMoreWanted() : changed;
            });
            if (more) {
                mt.wantsMore();
            }
        }
    }

    /** The data files named by index or matched by a glob; at least one, or the reason why not. */
    private static Set<Integer> chosenFiles(Metainfo m, List<Integer> indices, List<String> globs) {
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
        return chosen;
    }

    TorrentView setSequential(String id, boolean on) {
        synchronized (torrents) {
            ManagedTorrent mt = torrents.get(id);
            torrents.update(mt, e -> e.withSequential(on));
            mt.torrent().ifPresent(t -> t.setSequential(on));
            return TorrentViews.view(mt);
        }
    }

    TorrentView setTorrentLimits(String id, Long upload, Long download) {
        synchronized (torrents) {
            ManagedTorrent mt = torrents.get(id);
            long up = checkLimit(upload, mt.entry().uploadLimit());
            long down = checkLimit(download, mt.entry().downloadLimit());
            torrents.update(mt, e -> e.withLimits(up, down));
            mt.torrent().ifPresent(t -> t.setRateLimits(up, down));
            return TorrentViews.view(mt);
        }
    }

    /** A rate limit in bytes per second as asked ({@code current} when not given); refused when negative. */
    static long checkLimit(Long given, long current) {
        if (given == null) {
            return current;
        }
        if (given < 0) {
            throw new IllegalArgumentException("a rate limit is bytes per second, 0 for none: " + given);
        }
        return given;
    }

    StreamSource streamSource(String id, int fileIndex) throws IOException {
        ManagedTorrent mt = restorer.wake(id);
        Torrent t = mt.torrent().orElseThrow(() -> new IllegalArgumentException(
                mt.entry().name() + " is not running (" + mt.state() + ")"));
        Metainfo m = mt.metainfo().orElseThrow(() -> new IllegalArgumentException(
                "the file list of " + mt.entry().name() + " is not known yet"));
        PieceStore store = t.store().orElseThrow(() -> new IllegalArgumentException(
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

    int findFile(String id, String file) {
        if (file == null || file.isBlank()) {
            return -1;
        }
        if (file.matches("\\d{1,9}")) {
            return Integer.parseInt(file);
        }
        ManagedTorrent mt = torrents.get(id);
        Optional<Metainfo> known = mt.metainfo();
        if (known.isEmpty() && mt.isAsleep()) {
            try {
                known = Optional.of(torrents.readMetainfo(mt));
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

    TorrentView remove(String id, boolean deleteData) throws IOException {
        ManagedTorrent mt;
        synchronized (torrents) {
            mt = torrents.get(id);
            torrents.drop(mt);
        }
        TorrentView last = TorrentViews.view(mt);
        Optional<Metainfo> meta = mt.metainfo();
        if (meta.isEmpty() && mt.lazy().isPresent()) {
            meta = Optional.of(torrents.readMetainfo(mt)); // asleep: the files to delete are named in its .torrent
        }
        if (mt.torrent().isPresent() || mt.lazy().isPresent()) {
            stop(mt);
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
        synchronized (torrents) {
            if (!torrents.holds(mt.infoHash)) { // unless it was added again meanwhile
                torrents.summaries().forget(mt.infoHash);
                state.torrents().forget(mt.infoHash);
            }
        }
        log.info("removed {} ({}){}", mt.entry().name(), mt.infoHash.shortHex(), deleteData ? " and its data" : "");
        return last;
    }

    /** Takes the torrent out of the session, waiting until its swarm has stopped. */
    private void stop(ManagedTorrent mt) throws IOException {
        try {
            session.remove(mt.infoHash).get(REMOVE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while removing " + mt.entry().name(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot stop " + mt.entry().name() + ": " + e, e);
        }
    }
}
