package io.kadtorrent.daemon;

import io.kadtorrent.engine.session.Torrent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Applies the {@link SeedingPolicy} once a sample is taken: the seeding limits stop complete torrents, the queue
 * sizes hold back the torrents past them.
 */
final class SeedingQueue {

    private static final Logger log = LoggerFactory.getLogger(SeedingQueue.class);
    private static final long COUNTERS_SAVE_NANOS = 60_000_000_000L;

    private final StateDir state;
    private final TorrentLifecycle torrents;
    private volatile SeedingPolicy policy;
    private long lastCountersSaved = System.nanoTime();

    SeedingQueue(StateDir state, TorrentLifecycle torrents, SeedingPolicy policy) {
        this.state = state;
        this.torrents = torrents;
        this.policy = policy;
    }

    SeedingPolicy policy() {
        return policy;
    }

    SeedingPolicy setPolicy(SeedingPolicy p) throws IOException {
        synchronized (torrents) {
            state.savePolicy(p);
            policy = p;
            return p;
        }
    }

    /**
     * Once a second: a complete torrent past a seeding limit stops (state {@code finished}); then at most
     * {@code activeDownloads} torrents download and {@code activeSeeds} seed, first added first, the
     * others {@code queued}. Counters are remembered about once a minute.
     */
    void apply(long now) {
        synchronized (torrents) {
            SeedingPolicy p = policy;
            boolean save = now - lastCountersSaved >= COUNTERS_SAVE_NANOS;
            if (save) {
                lastCountersSaved = now;
                torrents.summaries().save();
            }
            List<ManagedTorrent> downloading = new ArrayList<>();
            List<ManagedTorrent> seeding = new ArrayList<>();
            for (ManagedTorrent mt : torrents.all()) {
                Optional<Torrent> t = mt.torrent();
                boolean asleep = mt.isAsleep(); // complete: it seeds (and counts) as a started torrent would
                if (save && (t.isPresent() || asleep)) {
                    saveCounters(mt);
                }
                if (mt.entry().paused() || (!asleep && (t.isEmpty() || mt.metainfo().isEmpty()))) {
                    continue;
                }
                boolean complete = asleep || (t.get().completion().isDone()
                        && !t.get().completion().isCompletedExceptionally() && !"downloading".equals(mt.state()));
                if (complete && stopsSeeding(mt, t, asleep, p, now)) {
                    continue;
                }
                (complete ? seeding : downloading).add(mt);
            }
            queue(downloading, p.activeDownloads());
            queue(seeding, p.activeSeeds());
        }
    }

    /** Remembers the torrent's seeding counters in its entry, when they moved. */
    private void saveCounters(ManagedTorrent mt) {
        if (!mt.seedingNow().equals(mt.entry().seeding())) {
            TorrentEntry.Seeding counters = mt.seedingNow();
            torrents.update(mt, e -> e.withSeeding(counters));
        }
    }

    /** True when the complete torrent has reached a seeding limit, and so has just been stopped. */
    private boolean stopsSeeding(ManagedTorrent mt, Optional<Torrent> t, boolean asleep, SeedingPolicy p, long now) {
        if (mt.isQueued() || mt.entry().seeding().exempt()) {
            return false;
        }
        long size = Math.max(1, asleep ? mt.asleepSizeBytes() : mt.metainfo().get().totalBytes());
        String reason = p.stopReason(mt.uploadedTotal() / (double) size, mt.seededSeconds(), mt.idleSeconds(now));
        if (reason == null) {
            return false;
        }
        TorrentEntry.Seeding s = mt.seedingNow();
        torrents.update(mt, e -> e.withSeeding(new TorrentEntry.Seeding(s.uploadedBytes(), s.seededSeconds(), reason,
                false)).withPaused(true));
        t.ifPresent(Torrent::pause);
        log.info("{}: stopped seeding: {}", mt.entry().name(), reason);
        return true;
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
}
