package io.kadtorrent.daemon;

import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.engine.session.Session;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Wires the daemon's {@link CatalogPointers} to the session's DHT node and to the daemon's timer, which gives
 * them the monotonic time; without a DHT node it keeps nothing and refuses pointers.
 */
final class DhtPointerKeeper {

    /** How often the kept catalog pointers are checked for a put that is due. */
    private static final long POINTER_TICK_MILLIS = 60_000;

    private final CatalogPointers pointers; // null without a DHT node

    private DhtPointerKeeper(CatalogPointers pointers) {
        this.pointers = pointers;
    }

    /** With a DHT node: puts the kept catalog pointers again as they fall due, starting with a restart's. */
    static DhtPointerKeeper start(Session session, StateDir state, ScheduledExecutorService timers) {
        return new DhtPointerKeeper(session.dhtNode().map(node -> {
            CatalogPointers pointers = CatalogPointers.restore(state,
                    item -> node.joined().thenCompose(joined -> node.put(item, OptionalLong.empty())), monotonicMillis());
            timers.scheduleWithFixedDelay(() -> pointers.tick(monotonicMillis()), 0, POINTER_TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
            return pointers;
        }).orElse(null));
    }

    private static long monotonicMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime());
    }

    /** See {@link Daemon#keepPointer}. */
    KeptPointer keep(KeptPointer pointer) throws IOException {
        if (pointers == null) {
            throw new IllegalArgumentException("the daemon runs no DHT node (--dht-port -1): it cannot keep a pointer");
        }
        MutableItem item = pointer.item();
        pointers.keep(item, monotonicMillis());
        return KeptPointer.of(item);
    }

    /** The catalog pointers kept alive (none without a DHT node). */
    List<KeptPointer> list() {
        return pointers == null ? List.of() : pointers.list();
    }
}
