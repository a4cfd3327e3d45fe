package io.kadtorrent.dht.engine;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A token bucket per source IP for incoming queries, so one flooder cannot starve others nor use us to
 * reflect traffic at a victim faster than the bucket refills. Keyed by IP (an IPv6 /64), not ip:port: a flooder (or a
 * spoofer who forges one victim's address) can pick any source port, so per-port buckets would give it a
 * fresh burst per port. Sans-I/O: time comes as an argument. Remembers at most {@link #MAX_TRACKED} IPs
 * (least recently seen forgotten), so the limiter's own memory stays bounded under a flood from many IPs.
 * The rate is generous next to one honest node (a few queries a second) so that several nodes behind one
 * NAT, or a test swarm on loopback, still get through; libtorrent allows 5 a second per IP.
 *
 * <p>Per-IP buckets alone do not bound a flood from many addresses: a spoofer cycling through more than
 * {@link #MAX_TRACKED} forged IPs gets a fresh burst for each. So queries from strangers also share one global
 * bucket ({@link #STRANGERS_PER_SECOND}), which bounds what the node reflects in total. A contact that has
 * answered one of our queries at that address (its address proven by a round trip) does not draw on it, so
 * such a flood cannot cut the node off from its own routing table; forging a known contact's address only
 * reaches that contact, through its own per-IP bucket.
 */
final class AddressRateLimit {

    static final int MAX_TRACKED = 4_096;
    static final double QUERIES_PER_SECOND = 50;
    static final double BURST = 200;
    /** Answers per second to all strangers together: a busy Mainline node sees tens of queries a second. */
    static final double STRANGERS_PER_SECOND = 1_000;
    static final double STRANGERS_BURST = 5_000;

    private double strangerTokens = STRANGERS_BURST;
    private long strangersLastMillis = Long.MIN_VALUE;

    private static final class Bucket {
        double tokens = BURST;
        long lastMillis;
    }

    /** After this long unseen an IP's bucket is full again, the same as having none: it is forgotten. */
    static final long REFILLED_AFTER_MILLIS = (long) Math.ceil(BURST / QUERIES_PER_SECOND * 1000);

    // Least recently seen first. Created on demand and dropped once empty: an idle node (most of a
    // simulated million) holds no map at all.
    private Map<InetAddress, Bucket> buckets;
    /**
     * No bucket was last seen before this (the eldest's time when last looked at; a later query only moves
     * the eldest later): until it is {@link #REFILLED_AFTER_MILLIS} old, nothing can be forgotten, and the
     * map is not walked.
     */
    private long eldestMillisAtLeast;

    /**
     * True if a query from {@code from}'s IP may be served at {@code nowMillis} (and spends a token);
     * {@code stranger} when the sender has not proven its address by answering us (it then also spends a token
     * of the global bucket).
     */
    boolean tryAcquire(InetSocketAddress from, boolean stranger, long nowMillis) {
        if (stranger && !strangersMayAsk(nowMillis)) {
            return false;
        }
        InetAddress ip = sourceOf(from);
        forgetRefilled(nowMillis);
        if (buckets == null) {
            buckets = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<InetAddress, Bucket> eldest) {
                    return size() > MAX_TRACKED;
                }
            };
        }
        Bucket b = buckets.get(ip);
        if (b == null) {
            b = new Bucket();
            b.lastMillis = nowMillis;
            if (buckets.isEmpty()) {
                eldestMillisAtLeast = nowMillis;
            }
            buckets.put(ip, b);
        }
        long elapsed = Math.max(0, nowMillis - b.lastMillis);
        b.tokens = Math.min(BURST, b.tokens + elapsed * QUERIES_PER_SECOND / 1000.0);
        b.lastMillis = nowMillis;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        if (stranger) {
            strangerTokens -= 1;
        }
        return true;
    }

    private boolean strangersMayAsk(long nowMillis) {
        if (strangersLastMillis != Long.MIN_VALUE) {
            long elapsed = Math.max(0, nowMillis - strangersLastMillis);
            strangerTokens = Math.min(STRANGERS_BURST, strangerTokens + elapsed * STRANGERS_PER_SECOND / 1000.0);
        }
        strangersLastMillis = nowMillis;
        return strangerTokens >= 1;
    }

    /** Drops the buckets that have refilled since last seen (the eldest first: time only moves on). */
    private void forgetRefilled(long nowMillis) {
        if (buckets == null || nowMillis - eldestMillisAtLeast < REFILLED_AFTER_MILLIS) {
            return;
        }
        for (Iterator<Bucket> it = buckets.values().iterator(); it.hasNext(); ) {
            long last = it.next().lastMillis;
            if (nowMillis - last < REFILLED_AFTER_MILLIS) {
                eldestMillisAtLeast = last;
                return;
            }
            it.remove();
        }
        buckets = null;
    }

    /** The IP, or for IPv6 its /64: one host is routinely given a whole /64 and may send from any of it. */
    static InetAddress sourceOf(InetSocketAddress from) {
        InetAddress ip = from.getAddress();
        if (!(ip instanceof Inet6Address)) {
            return ip;
        }
        byte[] prefix = Arrays.copyOf(ip.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        try {
            return InetAddress.getByAddress(prefix);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // 16 bytes is always a valid IPv6 address
        }
    }

    int trackedCount() {
        return buckets == null ? 0 : buckets.size();
    }
}
