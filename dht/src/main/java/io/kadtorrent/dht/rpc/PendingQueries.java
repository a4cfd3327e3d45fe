package io.kadtorrent.dht.rpc;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Queries awaiting a reply, keyed by transaction id and the address queried, so a reply from
 * any other address is dropped (BEP 5 transactions are per-node). Transaction ids are 2-byte values of
 * a counter, one per query, and every query has the same timeout, so counter order is deadline order:
 * the pending queries are a window of counter values in a ring of slots (a slot per counter value from
 * the oldest pending query to the newest, an answered one left empty), found by their id without
 * hashing. Bounded by {@link #MAX_PENDING}. Engine-thread only.
 */
public final class PendingQueries {

    public static final int MAX_PENDING = 4_096;
    /** The window may not wrap the 16-bit id space: two pending queries would share an id. */
    private static final int MAX_WINDOW = 1 << 16;

    private record Pending(InetSocketAddress address, long deadlineMillis, QueryCallback callback) {
    }

    private final long timeoutMillis;
    private Pending[] slots = new Pending[4]; // slot of counter c: c & (length - 1)
    private long oldest; // counter of the oldest slot still in the window (pending unless the window is empty)
    private long next;   // counter of the next query
    private int size;

    public PendingQueries(long timeoutMillis, int firstCounter) {
        this.timeoutMillis = timeoutMillis;
        this.oldest = firstCounter & 0xffff;
        this.next = oldest;
    }

    public boolean isFull() {
        return size >= MAX_PENDING || next - oldest >= MAX_WINDOW - 1;
    }

    /** Registers a query about to be sent to {@code to} and returns its fresh transaction id. */
    public TransactionId register(InetSocketAddress to, long nowMillis, QueryCallback callback) {
        if (isFull()) {
            throw new IllegalStateException("too many pending queries; check isFull() first");
        }
        if (next - oldest == slots.length) {
            grow();
        }
        long counter = next++;
        slots[(int) counter & (slots.length - 1)] = new Pending(to, nowMillis + timeoutMillis, callback);
        size++;
        return TransactionId.of((int) counter);
    }

    private void grow() {
        Pending[] bigger = new Pending[slots.length * 2];
        for (long c = oldest; c < next; c++) {
            bigger[(int) c & (bigger.length - 1)] = slots[(int) c & (slots.length - 1)];
        }
        slots = bigger;
    }

    /** Removes and returns the callback of the query {@code from} answered, if there is one. */
    public Optional<QueryCallback> take(TransactionId transactionId, InetSocketAddress from) {
        Pending p = remove(transactionId, from);
        return p == null ? Optional.empty() : Optional.of(p.callback);
    }

    /** Forgets the query sent to {@code to} under {@code transactionId}, if still pending; a reply to it will match nothing. */
    public void cancel(TransactionId transactionId, InetSocketAddress to) {
        remove(transactionId, to);
    }

    private Pending remove(TransactionId transactionId, InetSocketAddress from) {
        int id = transactionId.asShort();
        if (id < 0 || size == 0) {
            return null;
        }
        long counter = oldest + ((id - oldest) & 0xffff);
        if (counter >= next) {
            return null;
        }
        int slot = (int) counter & (slots.length - 1);
        Pending p = slots[slot];
        if (p == null || !p.address.equals(from)) {
            return null;
        }
        slots[slot] = null;
        size--;
        skipEmpty();
        return p;
    }

    /** Moves the window's start past answered slots, so it starts at the oldest pending query. */
    private void skipEmpty() {
        while (oldest < next && slots[(int) oldest & (slots.length - 1)] == null) {
            oldest++;
        }
    }

    /** Fires {@link QueryCallback#onTimeout} for every query past its deadline; returns how many. */
    public int expire(long nowMillis) {
        // Collect first: timeouts may send new queries, which must not disturb this walk.
        List<QueryCallback> expired = null;
        while (oldest < next) {
            int slot = (int) oldest & (slots.length - 1);
            Pending p = slots[slot];
            if (p.deadlineMillis > nowMillis) {
                break;
            }
            slots[slot] = null;
            size--;
            skipEmpty();
            if (expired == null) {
                expired = new ArrayList<>();
            }
            expired.add(p.callback);
        }
        if (expired == null) {
            return 0;
        }
        expired.forEach(c -> c.onTimeout(nowMillis));
        return expired.size();
    }

    /** The earliest deadline, or {@link Long#MAX_VALUE} when nothing is pending. */
    public long nextDeadlineMillis() {
        return size == 0 ? Long.MAX_VALUE : slots[(int) oldest & (slots.length - 1)].deadlineMillis;
    }

    public int size() {
        return size;
    }
}
