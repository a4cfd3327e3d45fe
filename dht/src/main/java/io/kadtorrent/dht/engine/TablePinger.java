package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.QueryCallback;

import java.util.HashSet;
import java.util.Set;

/**
 * BEP 5 bucket maintenance: when a newcomer finds its bucket full, ping the least recently seen
 * questionable node there; a reply keeps it, repeated silence makes it bad so the replacement
 * cache takes its place. At most {@link #MAX_IN_FLIGHT} such pings at once.
 */
final class TablePinger {

    static final int MAX_IN_FLIGHT = 16;

    private final DhtEngine engine;
    private final Set<NodeId> inFlight = new HashSet<>();

    TablePinger(DhtEngine engine) {
        this.engine = engine;
    }

    void pingQuestionable(NodeId newcomer, long nowMillis) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            return;
        }
        engine.routingTable().questionableToPing(newcomer, nowMillis).ifPresent(c -> ping(c, nowMillis));
    }

    private void ping(Contact c, long nowMillis) {
        if (!inFlight.add(c.id())) {
            return;
        }
        boolean sent = engine.sendQuery(c.address(), tid -> new KrpcQuery.Ping(tid, engine.ownId(), false),
                new QueryCallback() {
                    @Override
                    public void onResponse(KrpcResponse response, long now) {
                        inFlight.remove(c.id()); // the engine already recorded the reply
                    }

                    @Override
                    public void onError(KrpcError error, long now) {
                        inFlight.remove(c.id());
                    }

                    @Override
                    public void onTimeout(long now) {
                        inFlight.remove(c.id());
                        engine.routingTable().recordFailure(c);
                    }
                }, nowMillis);
        if (!sent) {
            inFlight.remove(c.id());
        }
    }
}
