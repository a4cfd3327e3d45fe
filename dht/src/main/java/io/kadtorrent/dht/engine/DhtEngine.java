package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcDecodeException;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.peers.TokenIssuer;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.InsertResult;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.dht.rpc.PendingQueries;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * The sans-I/O BEP 5 node: feed it datagrams ({@link #onDatagram}) and timer ticks
 * ({@link #onTimer}, due at {@link #nextTimerMillis}); it answers queries, runs lookups and sends
 * through its {@link Transport}. It never reads a socket or the wall clock and draws randomness
 * only from the generator it is given, so a simulation is reproducible. Single-threaded: every
 * call must come from the same thread (a Netty event loop or the simulation loop).
 */
public final class DhtEngine {

    private static final Logger log = LoggerFactory.getLogger(DhtEngine.class);

    static final long MAINTENANCE_EVERY_MILLIS = 60_000;
    static final int MAX_REMEMBERED_SEEDS = 16;

    private final NodeId id;
    private final Transport transport;
    private final Clock clock;
    private final RandomGenerator random;
    private final RoutingTable table;
    private final PendingQueries pending;
    private final PeerStore peers = new PeerStore();
    private final TokenIssuer tokens;
    private final QueryResponder responder;
    private final AddressRateLimit rateLimit = new AddressRateLimit();
    private final TablePinger pinger;
    private final EngineStats stats = new EngineStats();
    private final QueryPolicy policy;
    private long nextMaintenanceMillis;
    private List<InetSocketAddress> lastSeeds = List.of();

    public DhtEngine(NodeId id, Transport transport, Clock clock, RandomGenerator random) {
        this(id, transport, clock, random, QueryPolicy.DEFAULT);
    }

    public DhtEngine(NodeId id, Transport transport, Clock clock, RandomGenerator random, QueryPolicy policy) {
        long now = clock.nowMillis();
        this.policy = policy;
        this.id = id;
        this.transport = transport;
        this.clock = clock;
        this.random = random;
        this.table = new RoutingTable(id, now);
        this.pending = new PendingQueries(policy.timeoutMillis(), random.nextInt(1 << 16));
        this.tokens = new TokenIssuer(random, now);
        this.responder = new QueryResponder(table, peers, tokens);
        this.pinger = new TablePinger(this);
        this.nextMaintenanceMillis = now + MAINTENANCE_EVERY_MILLIS;
    }

    /** Handles one received datagram; malformed or unexpected ones are dropped and counted, never thrown. */
    public void onDatagram(long nowMillis, InetSocketAddress from, byte[] datagram) {
        stats.datagramsReceived++;
        KrpcMessage message;
        try {
            message = KrpcCodec.decode(datagram);
        } catch (KrpcDecodeException e) {
            stats.malformedDropped++;
            log.debug("dropped malformed datagram from {}: {}", from, e.getMessage());
            if (e.wasQuery() && e.transactionId().isPresent() && rateLimit.tryAcquire(from, nowMillis)) {
                send(from, new KrpcError(e.transactionId().get(), e.code(), e.getMessage()));
                stats.errorsSent++;
            }
            return;
        } catch (RuntimeException e) { // the edge: no datagram may take the node down
            stats.malformedDropped++;
            log.warn("dropped datagram from {} that broke the decoder: {}", from, e.toString());
            return;
        }
        if (message instanceof KrpcQuery q) {
            onQuery(q, from, nowMillis);
        } else {
            onReply(message, from, nowMillis);
        }
    }

    private void onQuery(KrpcQuery q, InetSocketAddress from, long nowMillis) {
        if (!rateLimit.tryAcquire(from, nowMillis)) {
            stats.rateLimitedDropped++;
            return;
        }
        if (!q.readOnly()) { // BEP 43: read-only nodes never enter routing tables
            Contact c = new Contact(q.sender(), from);
            if (table.recordQuery(c, nowMillis) == InsertResult.CACHED) {
                pinger.pingQuestionable(c.id(), nowMillis);
            }
        }
        send(from, responder.answer(q, from, nowMillis));
        stats.queriesAnswered++;
    }

    private void onReply(KrpcMessage reply, InetSocketAddress from, long nowMillis) {
        Optional<QueryCallback> callback = pending.take(reply.transactionId(), from);
        if (callback.isEmpty()) {
            stats.unmatchedRepliesDropped++;
            return;
        }
        if (reply instanceof KrpcResponse r) {
            if (table.recordReply(new Contact(r.sender(), from), nowMillis) == InsertResult.CACHED) {
                pinger.pingQuestionable(r.sender(), nowMillis);
            }
            callback.get().onResponse(r, nowMillis);
        } else {
            callback.get().onError((KrpcError) reply, nowMillis);
        }
    }

    /** Fires query timeouts and, once a minute, token rotation, peer expiry and bucket refresh. */
    public void onTimer(long nowMillis) {
        stats.timeouts += pending.expire(nowMillis);
        if (nowMillis >= nextMaintenanceMillis) {
            nextMaintenanceMillis = nowMillis + MAINTENANCE_EVERY_MILLIS;
            tokens.rotateIfDue(nowMillis);
            peers.expire(nowMillis);
            if (table.size() < Lookup.K && !lastSeeds.isEmpty()) {
                // Nearly alone: the first bootstrap lost its datagrams or went through an island. Retry.
                bootstrap(lastSeeds, n -> { });
            } else if (table.size() > 0) {
                table.refreshTargets(nowMillis, random).forEach(t -> findNode(t, r -> { }));
            }
        }
    }

    /** When {@link #onTimer} should next be called. */
    public long nextTimerMillis() {
        return Math.min(pending.nextDeadlineMillis(), nextMaintenanceMillis);
    }

    /**
     * Joins the network: asks every seed address for nodes near our id, then looks up our own id
     * (BEP 5 bootstrap). {@code done} gets the routing table size afterwards.
     */
    public void bootstrap(List<InetSocketAddress> seeds, IntConsumer done) {
        if (!seeds.isEmpty()) {
            lastSeeds = List.copyOf(seeds.subList(0, Math.min(seeds.size(), MAX_REMEMBERED_SEEDS)));
        }
        new BootstrapRound(this, seeds, done).start(clock.nowMillis());
    }

    public void findNode(NodeId target, Consumer<LookupResult> done) {
        startLookup(target, null, p -> { }, done);
    }

    /** get_peers lookup; {@code onPeer} sees each new peer as it arrives, {@code done} the whole result. */
    public void getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer, Consumer<LookupResult> done) {
        startLookup(NodeId.of(infoHash), infoHash, onPeer, done);
    }

    /** get_peers lookup then announce_peer to the closest nodes that gave a token; {@code done} gets how many accepted. */
    public void announce(InfoHash infoHash, int port, boolean impliedPort, IntConsumer done) {
        getPeers(infoHash, p -> { }, result -> new AnnounceRound(this, infoHash, port, impliedPort)
                .start(result, clock.nowMillis(), done));
    }

    void startLookup(NodeId target, InfoHash infoHash, Consumer<InetSocketAddress> onPeer, Consumer<LookupResult> done) {
        startLookup(target, table.closest(target, Lookup.K * 2), infoHash, onPeer, done);
    }

    void startLookup(NodeId target, List<Contact> seeds, InfoHash infoHash, Consumer<InetSocketAddress> onPeer,
                     Consumer<LookupResult> done) {
        new LookupRunner(this, new Lookup(target, seeds), infoHash, onPeer, done).pump(clock.nowMillis());
    }

    /** Sends a query built around a fresh transaction id; false (nothing sent) when too many are pending. */
    boolean sendQuery(InetSocketAddress to, Function<TransactionId, KrpcQuery> build, QueryCallback callback,
                      long nowMillis) {
        if (pending.isFull()) {
            return false;
        }
        TransactionId tid = pending.register(to, nowMillis, callback);
        send(to, build.apply(tid));
        stats.queriesSent++;
        return true;
    }

    private void send(InetSocketAddress to, KrpcMessage message) {
        transport.send(to, KrpcCodec.encode(message));
    }

    public NodeId ownId() {
        return id;
    }

    public RoutingTable routingTable() {
        return table;
    }

    public PeerStore peerStore() {
        return peers;
    }

    public EngineStats.Snapshot stats() {
        return stats.snapshot();
    }

    /** Sizes of every growable structure, to show memory stays bounded under a flood. */
    public record Footprint(int contacts, int replacements, int pendingQueries, int torrents, int peers,
                            int rateLimitedAddresses) {
    }

    public Footprint footprint() {
        return new Footprint(table.size(), table.replacementCount(), pending.size(), peers.torrentCount(),
                peers.peerCount(), rateLimit.trackedCount());
    }


    int maxAttempts() {
        return policy.maxAttempts();
    }
}
