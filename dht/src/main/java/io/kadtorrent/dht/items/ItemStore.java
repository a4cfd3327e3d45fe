package io.kadtorrent.dht.items;

import io.kadtorrent.dht.id.NodeId;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The BEP 44 items this node stores for others: checks every put by the BEP's rules (size, salt,
 * signature, {@code cas}, {@code seq}), keeps each item two hours after its last put, and stays
 * within a count and a byte cap (a put that would pass them is refused, so a flood cannot evict
 * what is already stored). Token checks happen before, in the engine. Engine-thread only.
 */
public final class ItemStore {

    public static final long ITEM_TTL_MILLIS = 2 * 60 * 60_000L; // BEP 44: items MAY expire after 2 hours
    public static final int DEFAULT_MAX_ITEMS = 4_096;
    public static final long DEFAULT_MAX_BYTES = 4L << 20;

    private record Stored(DhtItem item, long expiresMillis) {
    }

    private final Map<NodeId, Stored> items = new HashMap<>();
    private final int maxItems;
    private final long maxBytes;
    private long bytes;
    private long nextExpiryMillis = Long.MAX_VALUE;

    public ItemStore() {
        this(DEFAULT_MAX_ITEMS, DEFAULT_MAX_BYTES);
    }

    public ItemStore(int maxItems, long maxBytes) {
        if (maxItems < 1 || maxBytes < ItemValue.MAX_BYTES) {
            throw new IllegalArgumentException("caps must hold at least one item");
        }
        this.maxItems = maxItems;
        this.maxBytes = maxBytes;
    }

    /** Stores {@code item} if BEP 44 allows; {@code cas} is the put's expected current seq (mutable only). */
    public PutOutcome put(DhtItem item, OptionalLong cas, long nowMillis) {
        if (item.value().isTooBig()) {
            return PutOutcome.TOO_BIG;
        }
        Stored current = items.get(item.target());
        if (item instanceof MutableItem m) {
            PutOutcome refused = checkMutable(m, current, cas);
            if (refused != null) {
                return refused;
            }
        } else if (current != null) {
            return refresh(current, item, nowMillis); // the same hash is the same value
        }
        long delta = sizeOf(item) - (current == null ? 0 : sizeOf(current.item));
        if ((current == null && items.size() >= maxItems) || bytes + delta > maxBytes) {
            return PutOutcome.FULL;
        }
        bytes += delta;
        items.put(item.target(), new Stored(item, nowMillis + ITEM_TTL_MILLIS));
        nextExpiryMillis = Math.min(nextExpiryMillis, nowMillis + ITEM_TTL_MILLIS);
        return PutOutcome.STORED;
    }

    private static PutOutcome checkMutable(MutableItem m, Stored current, OptionalLong cas) {
        if (m.isSaltTooBig()) {
            return PutOutcome.SALT_TOO_BIG;
        }
        if (!m.isSignatureValid()) {
            return PutOutcome.INVALID_SIGNATURE;
        }
        if (current == null || !(current.item instanceof MutableItem stored)) {
            return null; // BEP 44: with no current value, cas is ignored
        }
        if (cas.isPresent() && cas.getAsLong() != stored.seq()) {
            return PutOutcome.CAS_MISMATCH;
        }
        if (m.seq() < stored.seq() || (m.seq() == stored.seq() && !m.value().equals(stored.value()))) {
            return PutOutcome.SEQ_TOO_LOW; // BEP 44: never go back, nor change a value under the same seq
        }
        return null;
    }

    private PutOutcome refresh(Stored current, DhtItem item, long nowMillis) {
        items.put(item.target(), new Stored(current.item, nowMillis + ITEM_TTL_MILLIS));
        return PutOutcome.STORED;
    }

    /** The live item stored under {@code target}, if any. */
    public Optional<DhtItem> get(NodeId target, long nowMillis) {
        Stored s = items.get(target);
        return s == null || s.expiresMillis <= nowMillis ? Optional.empty() : Optional.of(s.item);
    }

    /** Drops expired items. */
    public void expire(long nowMillis) {
        nextExpiryMillis = Long.MAX_VALUE;
        for (Iterator<Stored> it = items.values().iterator(); it.hasNext(); ) {
            Stored s = it.next();
            if (s.expiresMillis <= nowMillis) {
                bytes -= sizeOf(s.item);
                it.remove();
            } else {
                nextExpiryMillis = Math.min(nextExpiryMillis, s.expiresMillis);
            }
        }
    }

    /** When the earliest item expires, or {@link Long#MAX_VALUE} when none is stored. */
    public long nextExpiryMillis() {
        return nextExpiryMillis;
    }

    public int itemCount() {
        return items.size();
    }

    /** Bytes of keys, salts, values and signatures held. */
    public long sizeBytes() {
        return bytes;
    }

    private static long sizeOf(DhtItem item) {
        return item instanceof MutableItem m ? m.sizeBytes() : NodeId.LENGTH + item.value().sizeBytes();
    }
}
