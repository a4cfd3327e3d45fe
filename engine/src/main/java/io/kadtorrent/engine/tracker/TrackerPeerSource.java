package io.kadtorrent.engine.tracker;

import io.kadtorrent.engine.discovery.PeerSink;
import io.kadtorrent.engine.discovery.PeerSource;
import io.kadtorrent.engine.discovery.Scheduler;
import io.kadtorrent.engine.tracker.AnnounceRequest.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;

/**
 * Trackers as one more peer source (BEP 3, BEP 12 tiers): announces {@code started}, then again every
 * interval the tracker asks for, {@code completed} when the torrent completes and {@code stopped} when it
 * leaves. Within a tier the trackers are tried in a shuffled order and the one that answers moves to the
 * front; a tier that fails entirely hands over to the next; when all fail, it waits 15 s, 30 s ... up to
 * 30 min. Timers and results run on the scheduler's thread; the blocking announce on {@code io}.
 */
public final class TrackerPeerSource implements PeerSource {

    private static final Logger log = LoggerFactory.getLogger(TrackerPeerSource.class);
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(15);
    static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(30);
    static final Duration MAX_INTERVAL = Duration.ofHours(1);

    private final List<List<URI>> tiers;
    private final Scheduler scheduler;
    private final Executor io;
    private final TrackerClient client;
    private final Function<Event, AnnounceRequest> requests;
    private final PeerSink sink;
    private final String label;

    private int tier;
    private int index;
    private int failuresInARow;
    private boolean inFlight;
    private volatile boolean closed; // close() may come from any thread
    private volatile URI lastGood; // the tracker that last answered; it hears our "stopped"
    private Event pending; // an event to send once the announce in flight returns
    /** False from an announce until the tracker's {@code min interval} has passed (time only through the scheduler). */
    private boolean mayAnnounceAgain = true;
    private Duration minInterval = MIN_INTERVAL;
    private Scheduler.Scheduled timer;

    /**
     * @param tiers    BEP 12 tiers of tracker URLs (a single {@code announce} is one tier of one)
     * @param requests builds an announce for an event (called on the scheduler's thread)
     */
    public TrackerPeerSource(List<List<URI>> tiers, Scheduler scheduler, Executor io, TrackerClient client,
                             Function<Event, AnnounceRequest> requests, PeerSink sink, Random random, String label) {
        List<List<URI>> copy = new ArrayList<>();
        for (List<URI> t : tiers) {
            List<URI> shuffled = new ArrayList<>(t);
            Collections.shuffle(shuffled, random);
            if (!shuffled.isEmpty()) {
                copy.add(shuffled);
            }
        }
        this.tiers = copy;
        this.scheduler = scheduler;
        this.io = io;
        this.client = client;
        this.requests = requests;
        this.sink = sink;
        this.label = label;
    }

    /** The tiers of a torrent: its {@code announce-list}, else its {@code announce}; only schemes we speak. */
    public static List<List<URI>> tiersOf(List<List<String>> announceList, java.util.Optional<String> announce) {
        List<List<URI>> out = new ArrayList<>();
        List<List<String>> source = announceList.isEmpty() ? announce.map(a -> List.of(List.of(a))).orElse(List.of())
                : announceList;
        for (List<String> tier : source) {
            List<URI> t = new ArrayList<>();
            for (String url : tier) {
                try {
                    URI u = new URI(url.trim());
                    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
                    if ((scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) && u.getHost() != null
                            && t.size() < 20) {
                        t.add(u);
                    }
                } catch (java.net.URISyntaxException e) {
                    log.debug("ignoring tracker URL {}: {}", url, e.getMessage());
                }
            }
            if (!t.isEmpty() && out.size() < 20) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public void start() {
        start(Duration.ZERO);
    }

    /**
     * As {@link #start}, with the first announce {@code delay} from now: a daemon bringing back many sleeping seeds
     * spreads their announces rather than making them all while it restores.
     */
    public void start(Duration delay) {
        if (!tiers.isEmpty()) {
            scheduler.execute(() -> {
                if (!closed) {
                    timer = scheduler.schedule(delay, () -> announce(Event.STARTED));
                }
            });
        }
    }

    @Override
    public void torrentComplete() {
        scheduler.execute(() -> {
            if (lastGood != null) {
                announce(Event.COMPLETED);
            }
        });
    }

    @Override
    public void peersNeeded() {
        scheduler.execute(() -> {
            if (!inFlight && lastGood != null && mayAnnounceAgain) {
                announce(Event.NONE);
            }
        });
    }

    private void announce(Event event) {
        if (closed) {
            return;
        }
        if (inFlight) {
            if (event != Event.NONE) {
                pending = event;
            }
            return;
        }
        cancelTimer();
        inFlight = true;
        mayAnnounceAgain = false;
        scheduler.schedule(minInterval, () -> mayAnnounceAgain = true);
        URI tracker = tiers.get(tier).get(index);
        AnnounceRequest request = requests.apply(event);
        try {
            io.execute(() -> {
                AnnounceResponse response = null;
                Exception failure = null;
                try {
                    response = client.announce(tracker, request);
                } catch (Exception e) {
                    failure = e;
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                    }
                }
                AnnounceResponse r = response;
                Exception f = failure;
                try {
                    scheduler.execute(() -> finished(tracker, event, r, f));
                } catch (RejectedExecutionException closing) {
                    // the torrent's event loop has shut down with the session: nothing waits for this answer
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            inFlight = false;
        }
    }

    private void finished(URI tracker, Event event, AnnounceResponse response, Exception failure) {
        inFlight = false;
        if (closed) {
            return;
        }
        if (response != null) {
            lastGood = tracker;
            failuresInARow = 0;
            List<URI> t = tiers.get(tier);
            t.remove(tracker); // BEP 12: the tracker that answered goes first in its tier
            t.add(0, tracker);
            tier = 0;
            index = 0;
            response.warning().ifPresent(w -> log.info("{}: tracker {} says: {}", label, tracker, w));
            log.debug("{}: {} gave {} peers ({} seeders, {} leechers), next in {} s", label, tracker,
                    response.peers().size(), response.seeders(), response.leechers(), response.intervalSeconds());
            if (response.leechers() == 0 && sink.complete()) {
                log.debug("{}: {} knows no one downloading: its peers are seeds, not offered", label, tracker);
            } else {
                for (InetSocketAddress p : response.peers()) {
                    sink.offer(p);
                }
            }
            minInterval = clamp(Duration.ofSeconds(Math.max(response.minIntervalSeconds(), 0)));
            Duration next = clamp(Duration.ofSeconds(response.intervalSeconds()));
            if (pending != null) {
                Event e = pending;
                pending = null;
                announce(e);
            } else {
                timer = scheduler.schedule(next, () -> announce(Event.NONE));
            }
            return;
        }
        log.info("{}: tracker {} failed: {}", label, tracker, failure.getMessage());
        if (advance()) {
            announce(event); // the next tracker at once
            return;
        }
        long factor = 1L << Math.min(failuresInARow++, 10);
        Duration wait = FIRST_BACKOFF.multipliedBy(factor);
        timer = scheduler.schedule(wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait, () -> announce(event));
    }

    /** Moves to the next tracker; false after the last of the last tier (and starts over from the first). */
    private boolean advance() {
        index++;
        if (index < tiers.get(tier).size()) {
            return true;
        }
        index = 0;
        tier++;
        if (tier < tiers.size()) {
            return true;
        }
        tier = 0;
        return false;
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** Stops the timers, without a "stopped": the source that replaces this one announces for the torrent. */
    @Override
    public void replaced() {
        closed = true;
        cancelTimer();
    }

    /** Stops the timers and, when a tracker knows us, tells it we leave (without waiting for its answer). */
    @Override
    public void close() {
        closed = true;
        cancelTimer();
        URI tracker = lastGood;
        if (tracker != null) {
            AnnounceRequest stop = requests.apply(Event.STOPPED);
            try {
                io.execute(() -> {
                    try {
                        client.announce(tracker, stop);
                    } catch (Exception e) {
                        log.debug("{}: stopped announce to {} failed: {}", label, tracker, e.getMessage());
                    }
                });
            } catch (RejectedExecutionException shuttingDown) {
                // the session is closing its I/O threads; the tracker forgets us after its interval
            }
        }
    }
}
