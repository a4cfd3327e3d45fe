package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.lookup.LookupResult;
import io.kadtorrent.dht.routing.Contact;
import io.kadtorrent.dht.rpc.QueryCallback;
import io.kadtorrent.dht.rpc.TransactionId;

import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * The second half of a BEP 5 announce or a BEP 44 put: one write query, with its token, to each of
 * the closest nodes of a lookup that gave one; reports how many accepted.
 */
final class WriteRound {

    private final QuerySender queries;
    private final BiFunction<Contact, Token, Function<TransactionId, KrpcQuery>> write;
    private IntConsumer done;
    private int outstanding;
    private int accepted;

    /** {@code write} builds the query for one contact and the token it gave. */
    WriteRound(QuerySender queries, BiFunction<Contact, Token, Function<TransactionId, KrpcQuery>> write) {
        this.queries = queries;
        this.write = write;
    }

    /** Writes to the nodes of {@code lookup} that gave a token; {@code onDone} gets how many accepted. */
    void start(long nowMillis, LookupResult lookup, IntConsumer onDone) {
        this.done = onDone;
        outstanding = lookup.tokens().size();
        if (outstanding == 0) {
            done.accept(0);
            return;
        }
        for (Map.Entry<Contact, Token> e : lookup.tokens().entrySet()) {
            boolean sent = queries.send(nowMillis, e.getKey().address(), write.apply(e.getKey(), e.getValue()),
                    QueryCallback.of(response -> accepted++, now -> settled()));
            if (!sent) {
                settled();
            }
        }
    }

    private void settled() {
        if (--outstanding == 0) {
            done.accept(accepted);
        }
    }
}
