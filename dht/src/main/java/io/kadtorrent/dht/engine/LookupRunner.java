package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Drives one {@link Lookup} over the network: sends its find_node or get_peers queries, retries
 * a timed-out query once, and reports peers (get_peers {@code values}) as they arrive.
 */
final class LookupRunner {


    private final DhtEngine engine;
    private final Lookup lookup;
    private final InfoHash infoHash; // null for find_node
    private final Consumer<InetSocketAddress> onPeer;
    private final Consumer<LookupResult> done;
    private final Set<InetSocketAddress> peers = new LinkedHashSet<>();
    private final Map<Contact, Token> tokens = new HashMap<>();
    private int queriesSent;
    private boolean finished;

    LookupRunner(DhtEngine engine, Lookup lookup, InfoHash infoHash, Consumer<InetSocketAddress> onPeer,
                 Consumer<LookupResult> done) {
        this.engine = engine;
        this.lookup = lookup;
        this.infoHash = infoHash;
        this.onPeer = onPeer;
        this.done = done;
    }

    void pump(long nowMillis) {
        if (finished) {
            return;
        }
        // Loops only while sends fail at once (pending table full); bounded by the candidate count.
        for (List<Contact> next = lookup.nextQueries(); !next.isEmpty(); next = lookup.nextQueries()) {
            next.forEach(c -> send(c, 1, nowMillis));
        }
        if (lookup.isDone()) {
            finish();
        }
    }

    private void send(Contact c, int attempt, long nowMillis) {
        NodeId own = engine.ownId();
        queriesSent++;
        boolean sent = engine.sendQuery(c.address(), tid -> infoHash == null
                ? new KrpcQuery.FindNode(tid, own, false, lookup.target())
                : new KrpcQuery.GetPeers(tid, own, false, infoHash), new QueryCallback() {
            @Override
            public void onResponse(KrpcResponse r, long now) {
                r.token().ifPresent(t -> tokens.put(c, t));
                for (InetSocketAddress p : r.values()) {
                    if (peers.add(p) && !finished) {
                        onPeer.accept(p);
                    }
                }
                lookup.onResponse(c, r.nodes().stream().map(Contact::of).filter(n -> !n.id().equals(own)).toList());
                pump(now);
            }

            @Override
            public void onError(KrpcError error, long now) {
                lookup.onFailure(c);
                pump(now);
            }

            @Override
            public void onTimeout(long now) {
                if (attempt < engine.maxAttempts() && !finished) { // retries no longer hold an alpha slot
                    lookup.onStalled(c);
                    send(c, attempt + 1, now);
                    pump(now);
                    return;
                }
                engine.routingTable().recordFailure(c);
                lookup.onFailure(c);
                pump(now);
            }
        }, nowMillis);
        if (!sent) {
            lookup.onFailure(c);
        }
    }

    private void finish() {
        finished = true;
        List<Contact> closest = lookup.closestResponded();
        Map<Contact, Token> closestTokens = new LinkedHashMap<>();
        closest.forEach(c -> {
            Token t = tokens.get(c);
            if (t != null) {
                closestTokens.put(c, t);
            }
        });
        done.accept(new LookupResult(closest, closestTokens, peers, lookup.hops(), queriesSent));
    }
}
