package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.lookup.ReplyNodes;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.QueryCallback;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The first half of joining the DHT (BEP 5): seed addresses come without ids, so each gets a
 * find_node for our own id; what they answer seeds the self-lookup the engine runs next.
 */
final class BootstrapRound {

    /** Called once every seed answered or gave up, with the contacts learned (seeds included). */
    @FunctionalInterface
    interface Then {
        void accept(long nowMillis, List<Contact> learned);
    }

    private final NodeId own;
    private final QuerySender queries;
    private final Set<InetSocketAddress> seeds;
    private final List<Contact> learned = new ArrayList<>();
    private Then then;
    private int outstanding;

    BootstrapRound(NodeId own, QuerySender queries, List<InetSocketAddress> seeds) {
        this.own = own;
        this.queries = queries;
        this.seeds = new LinkedHashSet<>(seeds);
    }

    void start(long nowMillis, Then onSeedsDone) {
        this.then = onSeedsDone;
        outstanding = seeds.size();
        if (outstanding == 0) {
            then.accept(nowMillis, List.of());
            return;
        }
        for (InetSocketAddress seed : seeds) {
            boolean sent = queries.send(nowMillis, seed, tid -> new KrpcQuery.FindNode(tid, own, false, own),
                    QueryCallback.of(r -> {
                        Contact responder = new Contact(r.sender(), seed);
                        learned.add(responder);
                        learned.addAll(ReplyNodes.sanitise(r.nodes().stream().map(Contact::of).toList(),
                                responder, own, own));
                    }, this::settled));
            if (!sent) {
                settled(nowMillis);
            }
        }
    }

    private void settled(long nowMillis) {
        if (--outstanding == 0) {
            then.accept(nowMillis, learned.stream().filter(c -> !c.id().equals(own)).toList());
        }
    }
}
