package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.krpc.ItemReply;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;

import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;

/**
 * The requesting side of BEP 44: a get lookup keeps only items that verify against what was asked
 * for (the hash for immutable items, key, salt and signature for mutable ones) and, of mutable ones,
 * the highest seq; a put runs a get lookup and then writes to the closest nodes that gave tokens.
 */
final class ItemClient {

    /** What a get ended with: the best verified item, if any, and the lookup under it. */
    record Found(Optional<DhtItem> item, LookupResult lookup) {
    }

    /** Collects the verified items of one get lookup. */
    private static final class Collector {
        private final Function<ItemReply, Optional<? extends DhtItem>> verify;
        private final LongConsumer onForged;
        private DhtItem best;

        Collector(Function<ItemReply, Optional<? extends DhtItem>> verify, LongConsumer onForged) {
            this.verify = verify;
            this.onForged = onForged;
        }

        void accept(Contact from, KrpcResponse r) {
            if (r.item().isEmpty() || r.item().get().value().isEmpty()) {
                return; // nothing stored, or only a seq (BEP 44 get with seq)
            }
            Optional<? extends DhtItem> item = verify.apply(r.item().get());
            if (item.isEmpty()) {
                onForged.accept(1);
                return;
            }
            if (best == null || seqOf(item.get()) > seqOf(best)) {
                best = item.get();
            }
        }

        private static long seqOf(DhtItem item) {
            return item instanceof MutableItem m ? m.seq() : 0;
        }
    }

    private final NodeId own;
    private final QuerySender queries;
    private final RoutingTable table;
    private final LongConsumer onForged;
    private final int alpha; // queries in flight per lookup

    /** {@code onForged} counts replies whose item failed verification. */
    ItemClient(NodeId own, QuerySender queries, RoutingTable table, int alpha, LongConsumer onForged) {
        this.alpha = alpha;
        this.own = own;
        this.queries = queries;
        this.table = table;
        this.onForged = onForged;
    }

    /** Looks up {@code target}; {@code verify} turns a reply into the item asked for, or empty if it does not verify. */
    void get(long nowMillis, NodeId target, Function<ItemReply, Optional<? extends DhtItem>> verify,
             ObjLongConsumer<Found> done) {
        Collector collector = new Collector(verify, onForged);
        new LookupRunner(queries, table, new Lookup(target, table.closest(target, Lookup.K * 2), alpha),
                tid -> new KrpcQuery.Get(tid, own, false, target, OptionalLong.empty()))
                .observing(collector::accept)
                .start(nowMillis, p -> { }, (result, end) ->
                        done.accept(new Found(Optional.ofNullable(collector.best), result), end));
    }

    /**
     * Stores {@code item} on the closest nodes that gave a token; {@code cas} (mutable items) goes only
     * to nodes that returned a value, as BEP 44 asks. {@code done} gets how many stored it.
     */
    void put(long nowMillis, DhtItem item, OptionalLong cas, IntConsumer done) {
        Set<Contact> holders = new HashSet<>();
        new LookupRunner(queries, table, new Lookup(item.target(), table.closest(item.target(), Lookup.K * 2), alpha),
                tid -> new KrpcQuery.Get(tid, own, false, item.target(), OptionalLong.empty()))
                .observing((from, r) -> r.item().ifPresent(i -> holders.add(from)))
                .start(nowMillis, p -> { }, (result, end) -> new WriteRound(queries, (c, token) ->
                        tid -> new KrpcQuery.Put(tid, own, false, token, item,
                                holders.contains(c) ? cas : OptionalLong.empty()))
                        .start(end, result, done));
    }
}
