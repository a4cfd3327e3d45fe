package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.lookup.Lookup;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.QueryCallback;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Joining the DHT (BEP 5): seed addresses come without ids, so each gets a find_node for our own
 * id first; then a lookup of our own id from everything learned fills the buckets near us.
 */
final class BootstrapRound {

    private final DhtEngine engine;
    private final Set<InetSocketAddress> seeds;
    private final IntConsumer done;
    private final List<Contact> learned = new ArrayList<>();
    private int outstanding;

    BootstrapRound(DhtEngine engine, List<InetSocketAddress> seeds, IntConsumer done) {
        this.engine = engine;
        this.seeds = new LinkedHashSet<>(seeds);
        this.done = done;
    }

    void start(long nowMillis) {
        outstanding = seeds.size();
        if (outstanding == 0) {
            selfLookup();
            return;
        }
        for (InetSocketAddress seed : seeds) {
            ask(seed, nowMillis);
        }
    }

    private void ask(InetSocketAddress seed, long nowMillis) {
        RetryingQuery.send(engine, seed, tid -> new KrpcQuery.FindNode(tid, engine.ownId(), false, engine.ownId()),
                engine.maxAttempts(), QueryCallback.of(r -> {
                    learned.add(new Contact(r.sender(), seed));
                    r.nodes().forEach(n -> learned.add(Contact.of(n)));
                    settled();
                }, this::settled), nowMillis);
    }

    private void settled() {
        if (--outstanding == 0) {
            selfLookup();
        }
    }

    private void selfLookup() {
        List<Contact> start = new ArrayList<>(engine.routingTable().closest(engine.ownId(), Lookup.K * 2));
        learned.stream().filter(c -> !c.id().equals(engine.ownId())).forEach(start::add);
        engine.startLookup(engine.ownId(), start, null, p -> { },
                result -> done.accept(engine.routingTable().size()));
    }
}
