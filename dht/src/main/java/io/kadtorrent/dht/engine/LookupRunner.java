package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.lookup.ReplyNodes;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ObjLongConsumer;

/**
 * Drives one {@link Lookup} over the network: sends its find_node or get_peers queries, frees a
 * query's alpha slot while it is retried, and reports peers (get_peers {@code values}) as they arrive.
 */
final class LookupRunner {

    private final QuerySender queries;
    private final RoutingTable table;
    private final Lookup lookup;
    private final Function<TransactionId, KrpcQuery> query;
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final Map<Contact, Token> tokens = new HashMap<>();
    private Consumer<InetSocketAddress> onPeer;
    private BiConsumer<Contact, KrpcResponse> onReply = (c, r) -> { };
    private ObjLongConsumer<List<Contact>> onNamed; // null: nobody listens
    private ObjLongConsumer<LookupResult> done;
    private int queriesSent;
    private boolean finished;

    /** {@code query} builds the find_node or get_peers this lookup sends to every node it asks. */
    LookupRunner(QuerySender queries, RoutingTable table, Lookup lookup, Function<TransactionId, KrpcQuery> query) {
        this.queries = queries;
        this.table = table;
        this.lookup = lookup;
        this.query = query;
    }

    /** Lets {@code listener} see every reply from the node that was asked (e.g. to collect BEP 44 items). */
    LookupRunner observing(BiConsumer<Contact, KrpcResponse> listener) {
        this.onReply = listener;
        return this;
    }

    /**
     * Lets {@code listener} see the nodes each reply names, once sanitised, less those this lookup is querying now
     * (e.g. to ping those a bucket has room for).
     */
    LookupRunner hearingNamed(ObjLongConsumer<List<Contact>> listener) {
        this.onNamed = listener;
        return this;
    }

    /** Sends the first queries; {@code onPeer} sees each new peer, {@code onDone} the result and the time it ended, once. */
    void start(long nowMillis, Consumer<InetSocketAddress> onPeer, ObjLongConsumer<LookupResult> onDone) {
        this.onPeer = onPeer;
        this.done = onDone;
        pump(nowMillis);
    }

    private void pump(long nowMillis) {
        if (finished) {
            return;
        }
        // Loops only while sends fail at once (pending table full); bounded by the candidate count.
        for (List<Contact> next = lookup.nextQueries(); !next.isEmpty(); next = lookup.nextQueries()) {
            next.forEach(c -> send(c, nowMillis));
        }
        if (lookup.isDone()) {
            finish(nowMillis);
        }
    }

    private void send(Contact c, long nowMillis) {
        queriesSent++;
        if (!queries.send(nowMillis, c.address(), query, new Answer(c))) {
            lookup.onFailure(c);
        }
    }

    /** What happens to the query sent to one contact. */
    private final class Answer implements QueryCallback {
        private final Contact contact;

        Answer(Contact contact) {
            this.contact = contact;
        }

        @Override
        public void onResponse(KrpcResponse r, long now) {
            r.token().ifPresent(t -> tokens.put(contact, t));
            for (InetSocketAddress p : r.values()) {
                if (peers.add(p) && !finished) {
                    onPeer.accept(p);
                }
            }
            if (!r.sender().equals(contact.id())) {
                lookup.onFailure(contact); // someone else lives there: the id we were given was a lie or is gone
                pump(now);
                return;
            }
            onReply.accept(contact, r);
            List<Contact> named = new ArrayList<>(r.nodes().size());
            r.nodes().forEach(n -> named.add(Contact.of(n)));
            List<Contact> sane = ReplyNodes.sanitise(named, contact, table.ownId(), lookup.target());
            lookup.onResponse(contact, sane);
            pump(now);
            if (onNamed != null) { // after the lookup's own queries, which take the free query slots first
                onNamed.accept(sane.stream().filter(c -> !lookup.awaits(c)).toList(), now);
            }
        }

        @Override
        public void onError(KrpcError error, long now) {
            lookup.onFailure(contact);
            pump(now);
        }

        @Override
        public boolean onRetry(long now) {
            if (finished || !lookup.awaits(contact)) {
                return false; // given up with the source that named it
            }
            lookup.onStalled(contact); // a retried query no longer holds an alpha slot
            pump(now);
            if (finished) {
                return false;
            }
            queriesSent++;
            return true;
        }

        @Override
        public boolean onEarlyRetry(long now) {
            if (finished || !lookup.awaits(contact)) {
                return false; // the attempt out there may still answer; no more are needed
            }
            lookup.onOverdue(contact);
            pump(now);
            if (finished) {
                return false;
            }
            queriesSent++;
            return true;
        }

        @Override
        public void onStraggling(long now) {
            if (!finished && lookup.awaits(contact)) {
                lookup.onOverdue(contact); // its slot goes to the next candidate; its reply still counts
                pump(now);
            }
        }

        @Override
        public void onAttemptTimedOut(long now) {
            if (!finished && lookup.awaits(contact)) {
                lookup.onStalled(contact); // timed out once: a strike against whoever named it
                pump(now);
            }
        }

        @Override
        public void onTimeout(long now) {
            table.recordFailure(contact);
            lookup.onFailure(contact);
            pump(now);
        }
    }

    private void finish(long nowMillis) {
        finished = true;
        List<Contact> closest = lookup.closestResponded();
        Map<Contact, Token> closestTokens = new LinkedHashMap<>();
        closest.forEach(c -> {
            Token t = tokens.get(c);
            if (t != null) {
                closestTokens.put(c, t);
            }
        });
        done.accept(new LookupResult(closest, closestTokens, peers, lookup.hops(), queriesSent), nowMillis);
    }
}
