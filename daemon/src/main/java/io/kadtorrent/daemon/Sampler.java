package io.kadtorrent.daemon;

import io.kadtorrent.daemon.Views.TorrentView;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.SwarmStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Takes the once-a-second sample of every torrent's counters, from which the torrent list its subscribers get
 * (and the seeding queue) are worked out; runs on the daemon's timer thread.
 */
final class Sampler {

    private static final Logger log = LoggerFactory.getLogger(Sampler.class);
    /** How long a sample waits for the swarms' answers; a loop busier than that keeps its last sample. */
    private static final long SAMPLE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final TorrentLifecycle torrents;
    private final SeedingQueue queue;
    private final List<Consumer<List<TorrentView>>> listeners = new CopyOnWriteArrayList<>();
    private volatile List<TorrentView> lastList = List.of();
    private long lastSampleNanos; // the sampler's thread only

    Sampler(TorrentLifecycle torrents, SeedingQueue queue) {
        this.torrents = torrents;
        this.queue = queue;
    }

    /** A swarm asked for its counters, and its answer to come. */
    private record Asked(Torrent torrent, CompletableFuture<SwarmStats> stats) {
    }

    /** Every torrent, oldest first, as of the last sample. */
    List<TorrentView> list() {
        return torrents.all().stream()
                .sorted(Comparator.comparingLong((ManagedTorrent m) -> m.entry().addedAt())
                        .thenComparing(m -> m.infoHash)) // byte order, the same as the hex strings' order
                .map(TorrentViews::view).toList();
    }

    /** The list the last sample made (empty before the first). */
    List<TorrentView> lastList() {
        return lastList;
    }

    Runnable subscribe(Consumer<List<TorrentView>> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void sample() {
        long now = System.nanoTime();
        long interval = lastSampleNanos == 0 ? 0 : now - lastSampleNanos;
        lastSampleNanos = now;
        // every swarm is asked first and answered on its loop, then the answers are collected: one burst of
        // tasks per loop, where asking one by one cost a thread hand-off each (at 1,000 idle torrents, 4 % of a core)
        Map<ManagedTorrent, Asked> asked = new HashMap<>();
        for (ManagedTorrent mt : torrents.all()) {
            mt.torrent().ifPresent(t -> asked.put(mt, new Asked(t, t.statsAsync())));
        }
        long deadline = now + SAMPLE_WAIT_NANOS;
        for (ManagedTorrent mt : torrents.all()) {
            try {
                Asked a = asked.get(mt);
                if (a == null) {
                    mt.sample(now);
                } else {
                    mt.sample(now, a.torrent, a.stats.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                }
                mt.countSeeding(now, interval);
                if (mt.caughtUp()) {
                    torrents.update(mt, TorrentEntry::withCompleted);
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
            queue.apply(now);
        } catch (RuntimeException e) {
            log.warn("seeding limits and queue: {}", e.toString());
        }
        publish(list());
    }

    private void publish(List<TorrentView> views) {
        lastList = views;
        for (Consumer<List<TorrentView>> l : listeners) {
            try {
                l.accept(views);
            } catch (RuntimeException e) {
                log.debug("a listener failed: {}", e.toString());
            }
        }
    }
}
