package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemStore;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.KnownNodes;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.krpc.Samples;
import io.kadtorrent.dht.peers.InfohashSampler;
import io.kadtorrent.dht.peers.PeerStore;
import io.kadtorrent.dht.peers.TokenIssuer;
import io.kadtorrent.dht.routing.BucketCapacity;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * The sans-I/O BEP 5 node, with BEP 44 items: feed it datagrams ({@link #onDatagram}), commands
 * ({@link #bootstrap}, {@link #findNode}, {@link #getPeers}, {@link #announce}, {@link #put},
 * {@link #getImmutable}, {@link #getMutable}) and timer calls ({@link #onTimer}, due at
 * {@link #nextTimerMillis}); it answers queries, runs lookups and sends through its {@link Transport}.
 * Time comes only as the {@code nowMillis} argument of each call (monotonic, never decreasing); it reads
 * no clock or socket and draws randomness only from the generator it is given, so a simulation is
 * reproducible. Single-threaded: every call must come from the same thread (a Netty event loop or the
 * simulation loop). It composes small collaborators: {@link DatagramIntake} takes datagrams in,
 * {@link LookupStarter} starts lookups, {@link QueryResponder} answers, {@link OutgoingQueries} tracks what we asked.
 */
public final class DhtEngine {

    private final NodeId id;
    private final AddressFamily family;
    private final Transport transport;
    private final RandomGenerator random;
    private final RoutingTable table;
    private final OutgoingQueries queries;
    private final PeerStore peers = new PeerStore();
    private final ItemStore items = new ItemStore();
    private final TokenIssuer tokens;
    private final QueryResponder responder;
    private final TablePinger pinger;
    private final ItemClient itemClient;
    private final EngineStats stats = new EngineStats();
    private final DatagramIntake intake;
    private final LookupStarter lookups;
    private boolean readOnly; // BEP 43

    public DhtEngine(NodeId id, Transport transport, RandomGenerator random, long nowMillis) {
        this(id, transport, random, QueryPolicy.DEFAULT, nowMillis);
    }

    public DhtEngine(NodeId id, Transport transport, RandomGenerator random, QueryPolicy policy, long nowMillis) {
        this(id, AddressFamily.IPV4, transport, random, policy, nowMillis);
    }

    /**
     * A node of the {@code family} DHT (BEP 32: the IPv4 and IPv6 DHTs are separate networks): its
     * routing table, peers and lookups hold only that family's addresses; datagrams from the other
     * family are dropped.
     */
    public DhtEngine(NodeId id, AddressFamily family, Transport transport, RandomGenerator random, QueryPolicy policy,
                     long nowMillis) {
        this(id, family, transport, random, policy, BucketCapacity.STANDARD, nowMillis);
    }

    /** As above, with a routing table whose buckets hold as many nodes as {@code capacity} says. */
    public DhtEngine(NodeId id, AddressFamily family, Transport transport, RandomGenerator random, QueryPolicy policy,
                     BucketCapacity capacity, long nowMillis) {
        this.id = id;
        this.family = family;
        this.transport = transport;
        this.random = random;
        this.table = new RoutingTable(id, nowMillis, capacity);
        this.queries = new OutgoingQueries(policy, random.nextInt(1 << 16), (to, query) -> {
            send(to, readOnly ? query.asReadOnly() : query);
            stats.queriesSent++;
        });
        this.tokens = new TokenIssuer(random, nowMillis);
        this.responder = new QueryResponder(family, table, peers, items, tokens, new InfohashSampler(peers, random));
        this.pinger = new TablePinger(table, queries);
        this.itemClient = new ItemClient(id, queries, table, policy.alpha(), n -> stats.forgedItemsDropped += n);
        EngineParts parts = new EngineParts(family, table, queries, pinger, () -> readOnly);
        this.intake = new DatagramIntake(parts, transport, responder, stats);
        this.lookups = new LookupStarter(parts, policy.alpha());
    }

    /**
     * BEP 43: from now on this node answers no queries and marks every query it sends {@code ro=1}, so
     * other nodes keep it out of their routing tables. For a node that lives for one command: once it is
     * gone, nobody waits on its timeouts. Call it before the first input.
     */
    public void enterReadOnlyState() {
        readOnly = true;
    }

    /**
     * Whether the nodes a lookup reply names are pinged when they would enter a bucket that has room (a few per
     * reply, rate-limited: see {@link TablePinger}), so that ordinary lookups fill wide far buckets, as libtorrent
     * does. Off by default. Call it before the first input.
     */
    public void fillBucketsFromReplies(boolean on) {
        lookups.fillBucketsFromReplies(on);
    }

    /**
     * Whether a lookup's first round asks, of the K contacts in our table closest to the target, the alpha whose
     * replies have been fastest (rather than the alpha closest); later rounds go by distance. Off by default.
     */
    public void askFastFirst(boolean on) {
        lookups.askFastFirst(on);
    }

    /**
     * Whether a lookup stops counting a query against its alpha slots once it has been silent past this node's usual
     * round trip ({@code RoundTripEstimate#stragglerMillis}, about the 90th percentile), asking the next candidate
     * meanwhile; the reply still counts when it comes. Adaptive policies only; off by default.
     */
    public void askPastStragglers(boolean on) {
        queries.noticeStragglers(on);
    }

    /**
     * From now on, IPv4 nodes named in replies and queries are taken from {@code known} when it holds them,
     * rather than decoded into new objects (a simulated network shares its nodes; same results, less garbage).
     */
    public void shareDecodedNodes(KnownNodes known) {
        intake.shareDecodedNodes(known);
    }

    /**
     * Runs this node beside {@code other}, the node of the other family on the same thread (a
     * dual-stack host, BEP 32): each answers a query's {@code want} for the other family from the
     * other's routing table. Both should have the same id.
     */
    public void pairWith(DhtEngine other) {
        if (other.family == family) {
            throw new IllegalArgumentException("both engines are " + family);
        }
        responder.answerOtherFamilyFrom(other.table);
        other.responder.answerOtherFamilyFrom(table);
    }

    /** Handles one received datagram; malformed or unexpected ones are dropped and counted, never thrown. */
    public void onDatagram(long nowMillis, InetSocketAddress from, byte[] datagram) {
        intake.onDatagram(nowMillis, from, datagram);
    }

    /**
     * Does whatever is due at {@code nowMillis}: query timeouts (and their retries), token rotation,
     * peer and item expiry, bucket refresh and, while nearly alone, another bootstrap. Calling it early is harmless.
     */
    public void onTimer(long nowMillis) {
        stats.timeouts += queries.expire(nowMillis);
        tokens.rotateIfDue(nowMillis);
        if (nowMillis >= peers.nextExpiryMillis()) {
            peers.expire(nowMillis);
        }
        if (nowMillis >= items.nextExpiryMillis()) {
            items.expire(nowMillis);
        }
        if (nowMillis >= table.nextRefreshMillis()) {
            List<NodeId> targets = table.refreshTargets(nowMillis, random); // marks the buckets refreshed
            if (table.size() > 0) {
                targets.forEach(t -> findNode(nowMillis, t, r -> { }));
            }
        }
        lookups.rejoinIfDue(nowMillis);
    }

    /**
     * When {@link #onTimer} is next due: the earliest of the query deadlines, the token rotation, the
     * next peer or item expiry, the next bucket refresh and a pending rejoin. The runtime arms one timer for it
     * and asks again after every call, since any input may move it earlier.
     */
    public long nextTimerMillis() {
        long next = Math.min(queries.nextDeadlineMillis(), tokens.nextRotationMillis());
        next = Math.min(next, Math.min(peers.nextExpiryMillis(), items.nextExpiryMillis()));
        next = Math.min(next, table.nextRefreshMillis());
        return Math.min(next, lookups.nextRejoinMillis());
    }

    /**
     * Joins the network: asks every seed address for nodes near our id, then looks up our own id
     * (BEP 5 bootstrap); seeds of the other address family are skipped. {@code done} gets the routing
     * table size afterwards.
     */
    public void bootstrap(long nowMillis, List<InetSocketAddress> allSeeds, IntConsumer done) {
        lookups.bootstrap(nowMillis, allSeeds, done);
    }

    /** find_node lookup of {@code target}; {@code done} gets the result. */
    public void findNode(long nowMillis, NodeId target, Consumer<LookupResult> done) {
        lookups.findNode(nowMillis, target, done);
    }

    /** get_peers lookup; {@code onPeer} sees each new peer as it arrives, {@code done} the whole result. */
    public void getPeers(long nowMillis, InfoHash infoHash, Consumer<InetSocketAddress> onPeer,
                         Consumer<LookupResult> done) {
        lookups.getPeers(nowMillis, infoHash, onPeer, (result, end) -> done.accept(result));
    }

    /** get_peers lookup then announce_peer to the closest nodes that gave a token; {@code done} gets how many accepted. */
    public void announce(long nowMillis, InfoHash infoHash, int port, boolean impliedPort, IntConsumer done) {
        lookups.announce(nowMillis, infoHash, port, impliedPort, done);
    }

    /**
     * BEP 44 put: a get lookup of the item's target, then put to the closest nodes that gave a token;
     * {@code cas} (mutable items only) is sent to those that already hold a value. {@code done} gets
     * how many nodes stored it.
     */
    public void put(long nowMillis, DhtItem item, OptionalLong cas, IntConsumer done) {
        itemClient.put(nowMillis, item, cas, done);
    }

    /** BEP 44 get of an immutable item: {@code done} gets a value that hashes to {@code target}, if any node had one. */
    public void getImmutable(long nowMillis, NodeId target, Consumer<Optional<ImmutableItem>> done) {
        itemClient.get(nowMillis, target, reply -> reply.asImmutable(target),
                (found, end) -> done.accept(found.item().map(ImmutableItem.class::cast)));
    }

    /**
     * BEP 44 get of the mutable item {@code key} signs under {@code salt} (empty for none): {@code done}
     * gets the one with the highest seq among those whose signature verifies, if any node had one.
     */
    public void getMutable(long nowMillis, byte[] key, byte[] salt, Consumer<Optional<MutableItem>> done) {
        NodeId target = MutableItem.targetOf(key, salt);
        byte[] saltCopy = salt.clone();
        itemClient.get(nowMillis, target, reply -> reply.asMutable(target, saltCopy),
                (found, end) -> done.accept(found.item().map(MutableItem.class::cast)));
    }

    /** What a BEP 51 sample_infohashes reply told: the sample, and nodes near the target to ask next. */
    public record SampleReply(Samples samples, List<Contact> nodes) {
        public SampleReply {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * BEP 51: asks the node at {@code node} for a sample of the info_hashes it stores; {@code done}
     * gets the reply, or empty when it did not answer, answered with an error or sent no sample.
     */
    public void sampleInfohashes(long nowMillis, InetSocketAddress node, NodeId target, Consumer<Optional<SampleReply>> done) {
        boolean sent = queries.send(nowMillis, node, tid -> new KrpcQuery.SampleInfohashes(tid, id, false, target),
                new QueryCallback() {
                    @Override
                    public void onResponse(KrpcResponse r, long now) {
                        done.accept(r.samples().map(s -> new SampleReply(s, r.nodes().stream().map(Contact::of)
                                .filter(c -> !c.id().equals(id) && c.family() == family).toList())));
                    }

                    @Override
                    public void onError(KrpcError error, long now) {
                        done.accept(Optional.empty());
                    }

                    @Override
                    public void onTimeout(long now) {
                        done.accept(Optional.empty());
                    }
                });
        if (!sent) {
            done.accept(Optional.empty());
        }
    }

    private void send(InetSocketAddress to, KrpcMessage message) {
        transport.send(to, KrpcCodec.encode(message));
    }

    public NodeId ownId() {
        return id;
    }

    /** The DHT this node is part of (BEP 32). */
    public AddressFamily family() {
        return family;
    }

    public RoutingTable routingTable() {
        return table;
    }

    public PeerStore peerStore() {
        return peers;
    }

    public ItemStore itemStore() {
        return items;
    }

    public EngineStats.Snapshot stats() {
        stats.verificationPings = pinger.verificationPings();
        return stats.snapshot();
    }

    /** Sizes of every growable structure, to show memory stays bounded under a flood. */
    public record Footprint(int contacts, int replacements, int pendingQueries, int torrents, int peers,
                            int rateLimitedAddresses, int items, long itemBytes) {
    }

    public Footprint footprint() {
        return new Footprint(table.size(), table.replacementCount(), queries.size(), peers.torrentCount(),
                peers.peerCount(), intake.rateLimitedAddresses(), items.itemCount(), items.sizeBytes());
    }
}
