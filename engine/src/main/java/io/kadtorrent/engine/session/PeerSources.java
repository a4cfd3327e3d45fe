package io.kadtorrent.engine.session;

import com.google.common.net.HostAndPort;
import io.kadtorrent.engine.discovery.DhtPeerDiscovery;
import io.kadtorrent.engine.discovery.PeerSink;
import io.kadtorrent.engine.discovery.PeerSource;
import io.kadtorrent.engine.discovery.Scheduler;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.engine.tracker.AnnounceRequest;
import io.kadtorrent.engine.tracker.TrackerClient;
import io.kadtorrent.engine.tracker.TrackerPeerSource;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The session's peer sources for each torrent by info_hash (the DHT when the session runs one, the torrent's
 * trackers), from start to close, with the one pool of threads their blocking tracker announces run on.
 * Thread-safe.
 */
final class PeerSources {

    private static final Duration LAZY_ANNOUNCE_SPACING = Duration.ofMillis(20);
    private static final Duration LAZY_ANNOUNCE_WINDOW = Duration.ofMinutes(1);

    private final byte[] peerId;
    private final int port; // where peers reach us, as we announce it
    private final Map<InfoHash, List<PeerSource>> sources = new ConcurrentHashMap<>();
    private final TrackerClient trackers = new TrackerClient();
    private final AtomicLong lazyAnnounces = new AtomicLong();
    /** Blocking tracker announces, a few at a time, never on an event loop. */
    private final ThreadPoolExecutor trackerIo = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), r -> {
                Thread t = new Thread(r, "kadtorrent-tracker");
                t.setDaemon(true);
                return t;
            });
    private final int trackerKey = new SecureRandom().nextInt();
    private volatile SessionDht dht; // null when the session runs without the DHT

    PeerSources(byte[] peerId, int port) {
        this.peerId = peerId;
        this.port = port;
    }

    /** The session's DHT node, which finds and announces the torrents added from now on. */
    void useDht(SessionDht node) {
        this.dht = node;
    }

    /** {@code useDht}: find and announce it in the DHT too (false for a private torrent, BEP 27). */
    void start(Torrent torrent, EventLoop loop, boolean useDht, List<HostAndPort> torrentNodes, List<List<URI>> tiers) {
        PeerSink sink = new PeerSink() {
            @Override
            public boolean needsPeers() {
                return torrent.needsPeers();
            }

            @Override
            public void offer(InetSocketAddress peer) {
                torrent.addPeers(List.of(peer), false);
            }
        };
        List<PeerSource> found = startSources(torrent.infoHash(), loop, useDht, torrentNodes, tiers, sink,
                event -> announceRequest(torrent, event), Duration.ZERO);
        sources.put(torrent.infoHash(), found);
        // BEP 5 and BEP 3: announce again as a seeder
        torrent.completion().thenRun(() -> found.forEach(PeerSource::torrentComplete));
    }

    /** Sources for a sleeping seed: a peer they find wakes it ({@link LazyTorrent#materialise}). */
    void startLazy(LazyTorrent lazy, EventLoop loop, boolean useDht, List<HostAndPort> nodes, List<List<URI>> tiers) {
        InfoHash infoHash = lazy.infoHash();
        PeerSink sink = new PeerSink() {
            @Override
            public boolean needsPeers() {
                return false; // a seed waits to be found: no lookups while it sleeps
            }

            @Override
            public void offer(InetSocketAddress peer) {
                lazy.materialise().thenAccept(t -> t.addPeers(List.of(peer), false));
            }

            @Override
            public boolean complete() {
                return true; // a tracker that knows no leecher does not wake it
            }
        };
        // a seed since this session started: nothing up or down yet, nothing left (BEP 3 counts from "started")
        sources.put(infoHash, startSources(infoHash, loop, useDht, nodes, tiers, sink,
                event -> new AnnounceRequest(infoHash, peerId, port, 0, 0, 0, event, trackerKey, 80),
                lazyAnnounceDelay()));
    }

    /**
     * When a sleeping seed first announces to its trackers: one every {@link #LAZY_ANNOUNCE_SPACING} after the first
     * second, so that 1,000 seeds brought back at once make their 1,000 announces over 20 s (a minute at most, then
     * the spacing starts over), not while the daemon restores them. Nobody waits for a seed's announce: a peer that
     * wants it finds it by an earlier one (trackers keep a peer for their interval), the DHT, or the peer's own.
     */
    private Duration lazyAnnounceDelay() {
        long n = lazyAnnounces.getAndIncrement() % (LAZY_ANNOUNCE_WINDOW.toMillis() / LAZY_ANNOUNCE_SPACING.toMillis());
        return Duration.ofSeconds(1).plus(LAZY_ANNOUNCE_SPACING.multipliedBy(n));
    }

    /**
     * A torrent's peer sources, started: the DHT (when the session runs one and {@code useDht}) and its trackers,
     * announcing on {@code loop} with {@code requests}, the first after {@code firstAnnounce}.
     */
    private List<PeerSource> startSources(InfoHash infoHash, EventLoop loop, boolean useDht, List<HostAndPort> nodes,
                                          List<List<URI>> tiers, PeerSink sink,
                                          Function<AnnounceRequest.Event, AnnounceRequest> requests, Duration firstAnnounce) {
        List<PeerSource> found = new ArrayList<>();
        SessionDht node = dht;
        if (node != null && useDht) {
            found.add(node.discover(infoHash, nodes, port, sink));
        }
        if (!tiers.isEmpty()) {
            TrackerPeerSource t = new TrackerPeerSource(tiers, Scheduler.of(loop), trackerIo, trackers, requests, sink,
                    new Random(), infoHash.shortHex());
            t.start(firstAnnounce);
            found.add(t);
        }
        return found;
    }

    /** What we tell a tracker (on the torrent's loop, where its counters are read directly). */
    private AnnounceRequest announceRequest(Torrent torrent, AnnounceRequest.Event event) {
        SwarmStats s = torrent.stats();
        long left = s.totalBytes() == 0 ? 1 : s.totalBytes() - s.verifiedBytes(); // unknown before a magnet's metadata
        return new AnnounceRequest(torrent.infoHash(), peerId, port, s.uploadedBytes(),
                s.downloadedBytes(), left, event, trackerKey, 80);
    }

    /** Whether {@code infoHash} is looked for (and announced) in the DHT now. */
    boolean inDht(InfoHash infoHash) {
        return sources.getOrDefault(infoHash, List.of()).stream().anyMatch(DhtPeerDiscovery.class::isInstance);
    }

    /** Stops looking for (and announcing) a torrent in the DHT; its other peer sources go on. */
    void leaveDht(InfoHash infoHash) {
        sources.computeIfPresent(infoHash, (k, found) -> {
            List<PeerSource> rest = new ArrayList<>();
            for (PeerSource source : found) {
                if (source instanceof DhtPeerDiscovery) {
                    source.close();
                } else {
                    rest.add(source);
                }
            }
            return rest;
        });
    }

    /** A sleeping seed woke: its sources give way to those of its metainfo, without telling trackers it left. */
    void replace(InfoHash infoHash) {
        List<PeerSource> before = sources.remove(infoHash);
        if (before != null) {
            before.forEach(PeerSource::replaced);
        }
    }

    /** The torrent left the session: its sources stop (trackers hear "stopped"). */
    void close(InfoHash infoHash) {
        List<PeerSource> found = sources.remove(infoHash);
        if (found != null) {
            found.forEach(PeerSource::close);
        }
    }

    /** The session closes: every source stops (trackers hear "stopped"); {@link #shutdown} then ends the announces. */
    void closeAll() {
        sources.values().forEach(found -> found.forEach(PeerSource::close));
    }

    /** Gives the "stopped" announces a moment, then ends the announce threads. */
    void shutdown() {
        trackerIo.shutdown();
        try {
            trackerIo.awaitTermination(2, TimeUnit.SECONDS); // the "stopped" announces, briefly
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        trackerIo.shutdownNow();
    }
}
