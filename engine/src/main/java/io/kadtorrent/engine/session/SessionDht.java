package io.kadtorrent.engine.session;

import com.google.common.net.HostAndPort;
import io.kadtorrent.engine.discovery.DhtPeerDiscovery;
import io.kadtorrent.engine.discovery.DiscoveryConfig;
import io.kadtorrent.engine.discovery.PeerLookup;
import io.kadtorrent.engine.discovery.PeerSink;
import io.kadtorrent.engine.discovery.PeerSource;
import io.kadtorrent.engine.discovery.Scheduler;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A session's one DHT node (BEP 5) and the DHT peer source of each of its torrents. A torrent's
 * discovery starts once the node has joined the DHT through the configured bootstrap nodes and the
 * torrent's own {@code nodes} (or after {@link #JOIN_GRACE}), so its first lookup is not wasted on
 * an empty routing table. Thread-safe.
 */
final class SessionDht implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionDht.class);
    /**
     * Discovery waits for the join at most this long: a join's self-lookup can wait seconds on
     * contacts that died, while a lookup through the nodes that did answer already finds peers.
     */
    static final Duration JOIN_GRACE = Duration.ofSeconds(1);

    private final DhtNode node;
    private final Scheduler scheduler;
    private final Duration lookupInterval;
    private final CompletableFuture<Void> joined;
    private final List<PeerSource> sources = new CopyOnWriteArrayList<>();

    private SessionDht(DhtNode node, Scheduler scheduler, Duration lookupInterval, CompletableFuture<Void> joined) {
        this.node = node;
        this.scheduler = scheduler;
        this.lookupInterval = lookupInterval;
        this.joined = joined;
    }

    /** Starts the node, which joins through {@code config.bootstrap()}; {@code loop} runs discovery timers. */
    static SessionDht start(DhtConfig config, ScheduledExecutorService loop, Duration lookupInterval) throws IOException {
        DhtNode node = DhtNode.start(config);
        return new SessionDht(node, Scheduler.of(loop), lookupInterval, node.joined().handle((size, error) -> null));
    }

    DhtNode node() {
        return node;
    }

    InetSocketAddress localAddress() {
        return node.localAddress();
    }

    List<InetSocketAddress> localAddresses() {
        return node.localAddresses();
    }

    /** At most this many of a torrent's {@code nodes} are joined through (each is resolved and queried). */
    static final int MAX_TORRENT_NODES = 16;

    /**
     * Finds peers of {@code infoHash} for {@code sink} and announces us on {@code announcePort};
     * {@code torrentNodes} (a torrent's BEP 5 {@code nodes}) are joined through first.
     */
    PeerSource discover(InfoHash infoHash, List<HostAndPort> torrentNodes, int announcePort, PeerSink sink) {
        DhtPeerDiscovery discovery = new DhtPeerDiscovery(infoHash, sink, PeerLookup.of(node), scheduler,
                DiscoveryConfig.defaults(announcePort).withLookupInterval(lookupInterval));
        sources.add(discovery);
        List<InetSocketAddress> extra = torrentNodes.stream()
                .limit(MAX_TORRENT_NODES) // a hostile torrent must not aim our queries at thousands of hosts
                .map(n -> new InetSocketAddress(n.getHost(), n.getPort()))
                .filter(a -> !a.isUnresolved())
                .toList();
        CompletableFuture<Void> ready = joined.thenCompose(v -> join(node, extra));
        scheduler.schedule(JOIN_GRACE, () -> ready.complete(null));
        ready.whenComplete((v, e) -> discovery.start());
        return discovery;
    }

    /** Bootstraps through {@code seeds}; completes normally either way, since discovery retries anyway. */
    private static CompletableFuture<Void> join(DhtNode node, List<InetSocketAddress> seeds) {
        if (seeds.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        return node.bootstrap(seeds).handle((size, error) -> {
            if (error != null) {
                log.warn("DHT bootstrap through {} failed: {}", seeds, error.getMessage());
            } else {
                log.debug("DHT joined through {}: {} contacts", seeds, size);
            }
            return null;
        });
    }

    /** Stops every discovery, then the node. */
    @Override
    public void close() {
        sources.forEach(PeerSource::close);
        node.close();
    }
}
