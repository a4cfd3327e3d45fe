package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.dht.rpc.TransactionId;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.ObjLongConsumer;

/**
 * Starts a {@link DhtEngine}'s BEP 5 lookups (bootstrap, find_node, get_peers, announce), each seeded from the
 * routing table and run by a {@link LookupRunner}; it also retries the bootstrap while the table stays nearly empty.
 * Engine-thread only.
 */
final class LookupStarter {

    /** While the table holds fewer than K nodes, bootstrap again this often through the last seeds. */
    static final long REJOIN_EVERY_MILLIS = 60_000;
    static final int MAX_REMEMBERED_SEEDS = 16;

    private final NodeId id;
    private final AddressFamily family;
    private final RoutingTable table;
    private final OutgoingQueries queries;
    private final TablePinger pinger;
    private final int alpha; // queries in flight per lookup
    private final BooleanSupplier readOnly; // BEP 43: never ask to fill buckets
    private long nextRejoinMillis = Long.MAX_VALUE;
    private List<InetSocketAddress> lastSeeds = List.of();
    private boolean fillFromReplies; // ping nodes lookup replies name whose bucket has room
    private boolean askFastFirst; // a lookup's first round asks the fastest of the K closest in our table

    LookupStarter(EngineParts parts, int alpha) {
        this.family = parts.family();
        this.table = parts.table();
        this.id = table.ownId();
        this.queries = parts.queries();
        this.pinger = parts.pinger();
        this.readOnly = parts.readOnly();
        this.alpha = alpha;
    }

    /** See {@link DhtEngine#fillBucketsFromReplies}. */
    void fillBucketsFromReplies(boolean on) {
        this.fillFromReplies = on;
    }

    /** See {@link DhtEngine#askFastFirst}. */
    void askFastFirst(boolean on) {
        this.askFastFirst = on;
    }

    /** See {@link DhtEngine#bootstrap}. */
    void bootstrap(long nowMillis, List<InetSocketAddress> allSeeds, IntConsumer done) {
        List<InetSocketAddress> seeds = allSeeds.stream()
                .filter(s -> !s.isUnresolved() && AddressFamily.of(s.getAddress()) == family).toList();
        if (!seeds.isEmpty()) {
            lastSeeds = List.copyOf(seeds.subList(0, Math.min(seeds.size(), MAX_REMEMBERED_SEEDS)));
            nextRejoinMillis = nowMillis + REJOIN_EVERY_MILLIS;
        }
        new BootstrapRound(id, queries, seeds).start(nowMillis, (now, learned) -> {
            List<Contact> start = new ArrayList<>(table.closest(id, Lookup.K * 2));
            start.addAll(learned);
            startLookup(now, new Lookup(id, start, alpha), tid -> new KrpcQuery.FindNode(tid, id, false, id), p -> { },
                    (result, end) -> done.accept(table.size()));
        });
    }

    /** When {@link #rejoinIfDue} next has work: a pending rejoin's time, or {@code Long.MAX_VALUE}. */
    long nextRejoinMillis() {
        return nextRejoinMillis;
    }

    /** Once a bootstrap's rejoin time has come: bootstraps again through the last seeds if the table is nearly empty. */
    void rejoinIfDue(long nowMillis) {
        if (nowMillis >= nextRejoinMillis) {
            nextRejoinMillis = Long.MAX_VALUE;
            if (table.size() < Lookup.K) {
                // Nearly alone: the first bootstrap lost its datagrams or went through an island. Retry.
                bootstrap(nowMillis, lastSeeds, n -> { });
            }
        }
    }

    /** find_node lookup of {@code target}; {@code done} gets the result. */
    void findNode(long nowMillis, NodeId target, Consumer<LookupResult> done) {
        startLookup(nowMillis, newLookup(target), tid -> new KrpcQuery.FindNode(tid, id, false, target), p -> { },
                (result, end) -> done.accept(result));
    }

    /** get_peers lookup; {@code onPeer} sees each new peer as it arrives, {@code done} the result and its end time. */
    void getPeers(long nowMillis, InfoHash infoHash, Consumer<InetSocketAddress> onPeer,
                  ObjLongConsumer<LookupResult> done) {
        NodeId target = NodeId.of(infoHash);
        startLookup(nowMillis, newLookup(target), tid -> new KrpcQuery.GetPeers(tid, id, false, infoHash), onPeer, done);
    }

    /** See {@link DhtEngine#announce}. */
    void announce(long nowMillis, InfoHash infoHash, int port, boolean impliedPort, IntConsumer done) {
        WriteRound round = new WriteRound(queries, (contact, token) ->
                tid -> new KrpcQuery.AnnouncePeer(tid, id, false, infoHash, port, impliedPort, token));
        getPeers(nowMillis, infoHash, p -> { }, (result, end) -> round.start(end, result, done));
    }

    /** A lookup of {@code target} seeded with the 2K closest contacts of our table. */
    private Lookup newLookup(NodeId target) {
        List<Contact> seeds = table.closest(target, Lookup.K * 2);
        return askFastFirst ? new Lookup(target, seeds, alpha, table.fastest(target, Lookup.K, alpha))
                : new Lookup(target, seeds, alpha);
    }

    private void startLookup(long nowMillis, Lookup lookup, Function<TransactionId, KrpcQuery> query,
                             Consumer<InetSocketAddress> onPeer, ObjLongConsumer<LookupResult> done) {
        LookupRunner runner = new LookupRunner(queries, table, lookup, query);
        if (fillFromReplies && !readOnly.getAsBoolean()) {
            runner.hearingNamed((named, now) -> pinger.verifyNamed(now, named));
        }
        runner.start(nowMillis, onPeer, done);
    }
}
