package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.KrpcError;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.routing.RoutingTable;
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

    private final RoutingTable table;
    private final QuerySender queries;
    private final Set<NodeId> inFlight = new HashSet<>();

    TablePinger(RoutingTable table, QuerySender queries) {
        this.table = table;
        this.queries = queries;
    }

    void pingQuestionable(long nowMillis, NodeId newcomer) {
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            return;
        }
        table.questionableToPing(newcomer, nowMillis).ifPresent(c -> ping(nowMillis, c));
    }

    private void ping(long nowMillis, Contact c) {
        if (!inFlight.add(c.id())) {
            return;
        }
        boolean sent = queries.send(nowMillis, c.address(), tid -> new KrpcQuery.Ping(tid, table.ownId(), false),
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
                    public boolean onRetry(long now) {
                        return false; // each silence counts as one failure; the next newcomer pings again
                    }

                    @Override
                    public void onTimeout(long now) {
                        inFlight.remove(c.id());
                        table.recordFailure(c);
                    }
                });
        if (!sent) {
            inFlight.remove(c.id());
        }
    }
}
