package io.kadtorrent.daemon;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.MutableItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The publishers' BEP 46 catalog pointers the daemon keeps alive in the DHT. BEP 44 lets a storing node
 * drop an item two hours after its last put, so each kept pointer is put again, as the same signed item
 * (same seq, same signature), every {@link #REPUT_EVERY_MILLIS}, at once after a restart, and
 * {@link #RETRY_AFTER_MILLIS} after a put that no node stored. {@code share --dht} hands over each pointer
 * it puts (a new seq when the catalog changed), replacing the one kept for that key and salt; the daemon
 * never holds the publisher's private key. The kept set is saved in the {@link StateDir} on every change.
 *
 * <p>Time is the {@code nowMillis} argument (monotonic milliseconds); no clock is read here. Thread-safe:
 * the daemon's timer calls {@link #tick}, API workers call {@link #keep}, puts complete on the DHT's loop.
 */
public final class CatalogPointers {

    private static final Logger log = LoggerFactory.getLogger(CatalogPointers.class);

    /** Half of BEP 44's two-hour lifetime: one lost round still leaves an hour for the next. */
    static final long REPUT_EVERY_MILLIS = 60 * 60_000L;
    /** After a put that failed or that no node stored. */
    static final long RETRY_AFTER_MILLIS = 5 * 60_000L;
    /** Pointers one daemon keeps at most: one per catalog (key and salt) its user publishes. */
    static final int MAX_KEPT = 256;

    /** Puts one item into the DHT; completes with how many nodes stored it. */
    @FunctionalInterface
    public interface Putter {
        CompletableFuture<Integer> put(MutableItem item);
    }

    /** One kept pointer and when it is next put. */
    private static final class Kept {
        final MutableItem item;
        long dueMillis;
        boolean putting;

        Kept(MutableItem item, long dueMillis) {
            this.item = item;
            this.dueMillis = dueMillis;
        }
    }

    private final StateDir state;
    private final Putter putter;
    private final Map<NodeId, Kept> kept = new LinkedHashMap<>(); // by the item's target: SHA-1(key + salt)

    private CatalogPointers(StateDir state, Putter putter) {
        this.state = state;
        this.putter = putter;
    }

    /**
     * The pointers saved in {@code state}, every one due at {@code nowMillis}: how long ago the daemon
     * last put them is unknown, so a restart puts them all at once.
     */
    public static CatalogPointers restore(StateDir state, Putter putter, long nowMillis) {
        CatalogPointers pointers = new CatalogPointers(state, putter);
        for (KeptPointer p : state.readPointers()) {
            try {
                MutableItem item = p.item();
                pointers.kept.put(item.target(), new Kept(item, nowMillis));
            } catch (IllegalArgumentException e) {
                log.warn("skipping a kept catalog pointer of key {}: {}", p.key(), e.getMessage());
            }
        }
        if (!pointers.kept.isEmpty()) {
            log.info("keeping {} catalog pointer(s) alive in the DHT", pointers.kept.size());
        }
        return pointers;
    }

    /**
     * Keeps {@code item}, which the caller has just put, in place of the pointer kept for its key and salt;
     * its next put is {@link #REPUT_EVERY_MILLIS} away. Refuses (with {@link IllegalArgumentException}) a
     * lower seq than the kept one, which storing nodes would refuse too, and a pointer beyond {@link #MAX_KEPT}.
     */
    public synchronized void keep(MutableItem item, long nowMillis) throws IOException {
        Kept current = kept.get(item.target());
        if (current != null && item.seq() < current.item.seq()) {
            throw new IllegalArgumentException("seq " + item.seq() + " is lower than the kept pointer's "
                    + current.item.seq());
        }
        if (current == null && kept.size() >= MAX_KEPT) {
            throw new IllegalArgumentException("the daemon keeps at most " + MAX_KEPT + " catalog pointers");
        }
        kept.put(item.target(), new Kept(item, nowMillis + REPUT_EVERY_MILLIS));
        save();
        log.info("keeping the catalog pointer {} seq {} alive in the DHT", item.target().shortHex(), item.seq());
    }

    /** Puts every pointer that is due and not already being put; the daemon calls it every minute. */
    public synchronized void tick(long nowMillis) {
        for (Kept k : List.copyOf(kept.values())) {
            if (!k.putting && k.dueMillis <= nowMillis) {
                k.putting = true;
                put(k, nowMillis);
            }
        }
    }

    /** The kept pointers, oldest first. */
    public synchronized List<KeptPointer> list() {
        List<KeptPointer> out = new ArrayList<>();
        kept.values().forEach(k -> out.add(KeptPointer.of(k.item)));
        return out;
    }

    private void put(Kept k, long startedMillis) {
        CompletableFuture<Integer> stored;
        try {
            stored = putter.put(k.item);
        } catch (RuntimeException e) { // the DHT node is closing
            stored = CompletableFuture.failedFuture(e);
        }
        stored.whenComplete((nodes, error) -> finished(k, startedMillis, error == null ? nodes : 0, error));
    }

    private synchronized void finished(Kept k, long startedMillis, int storedOn, Throwable error) {
        k.putting = false;
        if (kept.get(k.item.target()) != k) {
            return; // replaced by a newer pointer meanwhile
        }
        if (storedOn > 0) {
            k.dueMillis = startedMillis + REPUT_EVERY_MILLIS;
            log.debug("catalog pointer {} seq {} put again on {} nodes", k.item.target().shortHex(), k.item.seq(),
                    storedOn);
        } else {
            k.dueMillis = startedMillis + RETRY_AFTER_MILLIS;
            log.warn("catalog pointer {} seq {} was not stored ({}); trying again in {} min", k.item.target().shortHex(),
                    k.item.seq(), error != null ? error.toString() : "no node took it", RETRY_AFTER_MILLIS / 60_000);
        }
    }

    private void save() throws IOException {
        List<KeptPointer> all = new ArrayList<>();
        kept.values().forEach(k -> all.add(KeptPointer.of(k.item)));
        state.savePointers(all);
    }
}
