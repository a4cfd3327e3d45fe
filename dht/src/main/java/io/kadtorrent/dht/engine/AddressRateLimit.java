package io.kadtorrent.dht.engine;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source ip:port for incoming queries, so one flooder cannot starve others.
 * Keyed by ip:port, not IP, because many honest nodes share one IP on loopback and behind NAT.
 * Remembers at most {@link #MAX_TRACKED} addresses (least recently seen forgotten), so the
 * limiter's own memory stays bounded under a flood from many addresses.
 */
final class AddressRateLimit {

    static final int MAX_TRACKED = 4_096;
    static final double QUERIES_PER_SECOND = 20;
    static final double BURST = 40;

    private static final class Bucket {
        double tokens = BURST;
        long lastMillis;
    }

    private final Map<InetSocketAddress, Bucket> buckets = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Bucket> eldest) {
            return size() > MAX_TRACKED;
        }
    };

    /** True if a query from {@code from} may be served now (and spends a token). */
    boolean tryAcquire(InetSocketAddress from, long nowMillis) {
        Bucket b = buckets.get(from);
        if (b == null) {
            b = new Bucket();
            b.lastMillis = nowMillis;
            buckets.put(from, b);
        }
        long elapsed = Math.max(0, nowMillis - b.lastMillis);
        b.tokens = Math.min(BURST, b.tokens + elapsed * QUERIES_PER_SECOND / 1000.0);
        b.lastMillis = nowMillis;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }

    int trackedCount() {
        return buckets.size();
    }
}
