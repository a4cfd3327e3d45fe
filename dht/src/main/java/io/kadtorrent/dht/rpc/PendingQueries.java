package io.kadtorrent.dht.rpc;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Queries awaiting a reply, keyed by transaction id and the address queried, so a reply from
 * any other address is dropped (BEP 5 transactions are per-node). Every query has the same
 * timeout, so insertion order is deadline order. Bounded by {@link #MAX_PENDING}. Engine-thread only.
 */
public final class PendingQueries {

    public static final int MAX_PENDING = 4_096;

    private record Key(TransactionId transactionId, InetSocketAddress address) {
    }

    private record Pending(long deadlineMillis, QueryCallback callback) {
    }

    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    private final long timeoutMillis;
    private int counter;

    public PendingQueries(long timeoutMillis, int firstCounter) {
        this.timeoutMillis = timeoutMillis;
        this.counter = firstCounter;
    }

    public boolean isFull() {
        return pending.size() >= MAX_PENDING;
    }

    /** Registers a query about to be sent to {@code to} and returns its fresh transaction id. */
    public TransactionId register(InetSocketAddress to, long nowMillis, QueryCallback callback) {
        if (isFull()) {
            throw new IllegalStateException("too many pending queries; check isFull() first");
        }
        Key key;
        do {
            key = new Key(TransactionId.of(counter++), to);
        } while (pending.containsKey(key));
        pending.put(key, new Pending(nowMillis + timeoutMillis, callback));
        return key.transactionId;
    }

    /** Removes and returns the callback of the query {@code from} answered, if there is one. */
    public Optional<QueryCallback> take(TransactionId transactionId, InetSocketAddress from) {
        Pending p = pending.remove(new Key(transactionId, from));
        return p == null ? Optional.empty() : Optional.of(p.callback);
    }

    /** Forgets the query sent to {@code to} under {@code transactionId}, if still pending; a reply to it will match nothing. */
    public void cancel(TransactionId transactionId, InetSocketAddress to) {
        pending.remove(new Key(transactionId, to));
    }

    /** Fires {@link QueryCallback#onTimeout} for every query past its deadline; returns how many. */
    public int expire(long nowMillis) {
        // Collect first: timeouts may send new queries, which must not disturb this iteration.
        List<QueryCallback> expired = new ArrayList<>();
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.deadlineMillis > nowMillis) {
                break;
            }
            it.remove();
            expired.add(p.callback);
        }
        expired.forEach(c -> c.onTimeout(nowMillis));
        return expired.size();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when nothing is pending. */
    public long nextDeadlineMillis() {
        Iterator<Pending> it = pending.values().iterator();
        return it.hasNext() ? it.next().deadlineMillis : Long.MAX_VALUE;
    }

    public int size() {
        return pending.size();
    }
}
