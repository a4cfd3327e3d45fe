package io.kadtorrent.daemon;

import io.kadtorrent.engine.session.LazyTorrent;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Optional;

/**
 * One torrent of the daemon: its remembered {@link TorrentEntry}, its swarm in the engine session (absent
 * while its files are checked, missing, or it failed; asleep, a {@link LazyTorrent}, when a restart brought it
 * back complete and nothing has needed it since), and the last sample of its transfer, from which rates are
 * derived. Fields are written by the daemon's own threads and read by the API's.
 */
final class ManagedTorrent {

    private static final java.util.concurrent.atomic.AtomicLong CREATED = new java.util.concurrent.atomic.AtomicLong();

    final InfoHash infoHash;
    /** Creation order in this run: among torrents added in the same second, the earlier one queues first. */
    final long order = CREATED.incrementAndGet();
    private volatile TorrentEntry entry;
    private volatile Torrent torrent;
    private volatile LazyTorrent lazy; // while asleep: complete, registered from its resume data, no swarm yet
    private volatile long asleepSizeBytes; // its size from its summary, while asleep
    private volatile Metainfo metainfo;
    private volatile String problem; // "missing files" or an error, when the torrent cannot run
    private volatile boolean checking;
    private volatile Sample sample = Sample.EMPTY;
    /** When the user last asked for more files of a torrent (System.nanoTime), until a sample shows them verified; 0: none. */
    private volatile long wantsMoreSince;
    /** Held back by the queue (paused by the daemon, not the user). */
    private volatile boolean queued;
    /** Uploaded bytes and seeded seconds of earlier runs (the seeding limits count them). */
    private final long uploadedBefore;
    private final long seededBefore;
    private long seededNanos; // this run; the sampler's thread only
    private long idleSinceNanos; // when uploads last stopped while seeding; the sampler's thread only

    /** A reading of the swarm's counters at {@code nanos}, with rates against the reading before it. */
    record Sample(long nanos, SwarmStats stats, long downRate, long upRate) {
        static final Sample EMPTY = new Sample(0, new SwarmStats(0, 0, 0, 0, 0), 0, 0);
    }

    ManagedTorrent(TorrentEntry entry) {
        this.infoHash = InfoHash.parse(entry.infoHash());
        this.entry = entry;
        this.uploadedBefore = entry.seeding().uploadedBytes();
        this.seededBefore = entry.seeding().seededSeconds();
    }

    boolean isQueued() {
        return queued;
    }

    void queued(boolean q) {
        queued = q;
    }

    /** Uploaded bytes over every run, for the ratio. */
    long uploadedTotal() {
        return uploadedBefore + sample.stats().uploadedBytes();
    }

    /** Seconds seeded over every run. */
    long seededSeconds() {
        return seededBefore + seededNanos / 1_000_000_000L;
    }

    /** Seconds since anybody last downloaded from it while it seeds (0 while uploading). */
    long idleSeconds(long nowNanos) {
        return idleSinceNanos == 0 ? 0 : (nowNanos - idleSinceNanos) / 1_000_000_000L;
    }

    /** After a sample: counts seeding time and idleness ({@code intervalNanos} since the last sample). */
    void countSeeding(long nowNanos, long intervalNanos) {
        if (!"seeding".equals(state())) {
            idleSinceNanos = 0;
            return;
        }
        seededNanos += intervalNanos;
        if (sample.upRate() > 0) {
            idleSinceNanos = nowNanos;
        } else if (idleSinceNanos == 0) {
            idleSinceNanos = nowNanos;
        }
    }

    /** The counters as they would be remembered now. */
    TorrentEntry.Seeding seedingNow() {
        TorrentEntry.Seeding s = entry.seeding();
        return new TorrentEntry.Seeding(uploadedTotal(), seededSeconds(), s.finished(), s.exempt());
    }

    TorrentEntry entry() {
        return entry;
    }

    void entry(TorrentEntry e) {
        entry = e;
    }

    Optional<Torrent> torrent() {
        return Optional.ofNullable(torrent);
    }

    void running(Torrent t) {
        torrent = t;
        lazy = null;
        checking = false;
        problem = null;
    }

    /** Back from a restart complete, registered in the session from its resume data, to start on first need. */
    void asleep(LazyTorrent l, long sizeBytes) {
        asleepSizeBytes = sizeBytes;
        lazy = l;
        checking = false;
        problem = null;
    }

    /** The sleeping torrent, until it runs (or fails). */
    Optional<LazyTorrent> lazy() {
        return Optional.ofNullable(lazy);
    }

    /** Asleep: complete by its resume data, with neither swarm nor open files (listed from its entry's summary). */
    boolean isAsleep() {
        return lazy != null && torrent == null;
    }

    /** The size of a sleeping torrent (from its summary). */
    long asleepSizeBytes() {
        return asleepSizeBytes;
    }

    Optional<Metainfo> metainfo() {
        Metainfo m = metainfo;
        if (m == null && torrent != null) {
            m = torrent.metadata().getNow(null);
            metainfo = m;
        }
        return Optional.ofNullable(m);
    }

    void metainfo(Metainfo m) {
        metainfo = m;
    }

    void checking(boolean c) {
        checking = c;
    }

    void failed(String why) {
        problem = why;
        checking = false;
        torrent = null;
        lazy = null;
    }

    Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** Reads the swarm's counters (one hop to its event loop) and derives rates from the previous reading. */
    void sample(long nanos) {
        Torrent t = torrent;
        if (t == null) {
            sample = Sample.EMPTY;
            return;
        }
        record(nanos, t.stats());
    }

    /**
     * Takes {@code now}, the counters {@code from} answered, as the sample at {@code nanos}, unless the torrent
     * stopped or was replaced since it was asked (then the next sample sees the current one).
     */
    void sample(long nanos, Torrent from, SwarmStats now) {
        if (torrent == from) {
            record(nanos, now);
        }
    }

    private void record(long nanos, SwarmStats now) {
        Sample before = sample;
        long down = 0;
        long up = 0;
        if (before.nanos != 0 && nanos > before.nanos) {
            double seconds = (nanos - before.nanos) / 1e9;
            down = Math.max(0, Math.round((now.downloadedBytes() - before.stats.downloadedBytes()) / seconds));
            up = Math.max(0, Math.round((now.uploadedBytes() - before.stats.uploadedBytes()) / seconds));
        }
        sample = new Sample(nanos, now, down, up);
    }

    Sample lastSample() {
        return sample;
    }

    /** The user wants files not verified yet: downloading again, whatever the completion said before. */
    void wantsMore() {
        wantsMoreSince = System.nanoTime();
    }

    /** True, once, when a sample taken after {@link #wantsMore} shows every wanted piece verified. */
    boolean caughtUp() {
        long since = wantsMoreSince;
        Sample s = sample;
        if (since != 0 && s.nanos() > since && s.stats().wantedComplete()) {
            wantsMoreSince = 0;
            return true;
        }
        return false;
    }

    /** The state word of the API. */
    String state() {
        if (problem != null) {
            return problem.equals(Daemon.MISSING_FILES) ? Daemon.MISSING_FILES : "error";
        }
        if (checking) {
            return "checking";
        }
        if (entry.seeding().finished() != null && entry.paused()) {
            return "finished";
        }
        if (entry.paused()) {
            return "paused";
        }
        if (queued) {
            return "queued";
        }
        Torrent t = torrent;
        if (t == null && lazy != null) {
            return "seeding"; // complete by its resume data; it starts when a peer or a command needs it
        }
        if (t == null || t.metadata().getNow(null) == null) {
            return "metadata";
        }
        boolean done = t.completion().isDone() && !t.completion().isCompletedExceptionally() && wantsMoreSince == 0;
        return done ? "seeding" : "downloading";
    }
}
