package io.kadtorrent.engine.discovery;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds peers for one torrent through the DHT (BEP 5). get_peers lookups start on a schedule
 * decided as each one starts: while the swarm needs peers the next comes {@code firstLookupGap}
 * later, then twice as long each time up to {@code lookupInterval}; while it does not, or after a
 * lookup failed, the gap doubles up to {@code maxBackoff}. A lookup still running when the next
 * one is due is simply left behind (the peers it streams still count), so contacts that died and
 * make lookups slow never delay discovery. announce_peer goes out at start, on completion and
 * every {@code announceInterval}; when no node accepted it, again after the same quick ramp (a node
 * that just started may not have joined yet). New peers go to the {@link PeerSink}, each once.
 * All state lives on the {@link Scheduler}'s thread.
 */
public final class DhtPeerDiscovery implements PeerSource {

    private static final Logger log = LoggerFactory.getLogger(DhtPeerDiscovery.class);

    /** Peers remembered to offer each one once; beyond this we stop remembering (the swarm dedups too). */
    static final int MAX_REMEMBERED_PEERS = 10_000;

    private final InfoHash infoHash;
    private final PeerSink sink;
    private final PeerLookup lookup;
    private final Scheduler scheduler;
    private final DiscoveryConfig config;
    private final Set<InetSocketAddress> offered = new HashSet<>();

    private boolean started;
    private boolean closed;
    private int lookupGeneration;
    private Scheduler.Scheduled lookupTimer;
    private Scheduler.Scheduled hintTimer;
    private Duration ramp;
    private Duration backoff;
    private int announceGeneration;
    private Duration announceRetry;
    private Scheduler.Scheduled announceTimer;

    public DhtPeerDiscovery(InfoHash infoHash, PeerSink sink, PeerLookup lookup, Scheduler scheduler,
                            DiscoveryConfig config) {
        this.infoHash = infoHash;
        this.sink = sink;
        this.lookup = lookup;
        this.scheduler = scheduler;
        this.config = config;
        this.ramp = config.firstLookupGap();
        this.backoff = config.lookupInterval();
        this.announceRetry = config.firstLookupGap();
    }

    @Override
    public void start() {
        scheduler.execute(() -> {
            if (started || closed) {
                return;
            }
            started = true;
            announce();
            lookUp();
        });
    }

    @Override
    public void torrentComplete() {
        scheduler.execute(() -> {
            if (started && !closed) {
                announce(); // refresh our entry at once so later downloaders find a complete copy here
            }
        });
    }

    @Override
    public void peersNeeded() {
        scheduler.execute(() -> {
            if (!started || closed || hintTimer != null || backoff.equals(config.lookupInterval())) {
                return; // the next lookup is already due within one interval
            }
            backoff = config.lookupInterval();
            // An extra timer rather than a reschedule: the backed-off one may still come first.
            hintTimer = scheduler.schedule(config.lookupInterval(), this::lookUp);
        });
    }

    @Override
    public void close() {
        scheduler.execute(() -> {
            closed = true;
            cancel(lookupTimer);
            cancel(hintTimer);
            cancel(announceTimer);
        });
    }

    private void lookUp() {
        if (closed) {
            return;
        }
        cancel(hintTimer);
        hintTimer = null;
        int generation = ++lookupGeneration;
        scheduleLookup(nextGap());
        log.debug("{} get_peers lookup {}", infoHash.shortHex(), generation);
        try {
            lookup.getPeers(infoHash, peer -> scheduler.execute(() -> found(peer)))
                    .whenComplete((peers, error) -> scheduler.execute(() -> {
                        if (peers != null) {
                            peers.forEach(this::found);
                        }
                        if (error != null) {
                            lookupFailed(generation, String.valueOf(error.getMessage()));
                        }
                    }));
        } catch (RuntimeException e) {
            lookupFailed(generation, String.valueOf(e.getMessage()));
        }
    }

    /** The gap until the lookup after the one starting now. */
    private Duration nextGap() {
        if (sink.needsPeers()) {
            Duration gap = ramp;
            ramp = min(ramp.multipliedBy(2), config.lookupInterval());
            backoff = config.lookupInterval();
            return gap;
        }
        ramp = config.lookupInterval(); // the quick start-up lookups end with the first backoff
        backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        return backoff;
    }

    /** The newest lookup failed (the DHT is closed or broken): wait longer before the next. */
    private void lookupFailed(int generation, String failure) {
        if (closed || generation != lookupGeneration) {
            return;
        }
        log.debug("{} get_peers lookup failed: {}", infoHash.shortHex(), failure);
        ramp = config.lookupInterval();
        backoff = min(backoff.multipliedBy(2), config.maxBackoff());
        scheduleLookup(backoff);
    }

    private void found(InetSocketAddress peer) {
        if (closed || offered.contains(peer)) {
            return;
        }
        if (offered.size() < MAX_REMEMBERED_PEERS) {
            offered.add(peer);
        }
        sink.offer(peer);
    }

    private void scheduleLookup(Duration delay) {
        cancel(lookupTimer);
        lookupTimer = scheduler.schedule(delay, this::lookUp);
    }

    /**
     * Announces now. The next announce is already scheduled a full interval ahead (so one that
     * never answers cannot end the chain); if no node took this one, it comes after the retry gap
     * instead, which doubles from {@code firstLookupGap} up to {@code lookupInterval}.
     */
    private void announce() {
        if (closed) {
            return;
        }
        int generation = ++announceGeneration;
        scheduleAnnounce(config.announceInterval());
        try {
            lookup.announce(infoHash, config.announcePort()).whenComplete((accepted, error) -> scheduler.execute(
                    () -> announced(generation, error == null && accepted != null && accepted > 0,
                            error == null ? "0 nodes accepted" : String.valueOf(error.getMessage()))));
        } catch (RuntimeException e) {
            announced(generation, false, String.valueOf(e.getMessage()));
        }
    }

    private void announced(int generation, boolean accepted, String failure) {
        if (closed || generation != announceGeneration) {
            return;
        }
        if (accepted) {
            announceRetry = config.firstLookupGap();
            return;
        }
        log.debug("{} announce_peer failed ({}); retrying in {}", infoHash.shortHex(), failure, announceRetry);
        scheduleAnnounce(announceRetry);
        announceRetry = min(announceRetry.multipliedBy(2), config.lookupInterval());
    }

    private void scheduleAnnounce(Duration delay) {
        cancel(announceTimer);
        announceTimer = scheduler.schedule(delay, this::announce);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void cancel(Scheduler.Scheduled scheduled) {
        if (scheduled != null) {
            scheduled.cancel();
        }
    }
}
