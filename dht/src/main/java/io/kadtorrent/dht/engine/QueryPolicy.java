package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.lookup.Lookup;

/**
 * How long the engine waits for a reply and how often it asks again. BEP 5 leaves both open.
 * More attempts make lookups exact under heavy loss but make every dead node cost
 * {@code timeoutMillis * maxAttempts} before a lookup can end.
 *
 * <p>With {@code minTimeoutMillis < timeoutMillis} the policy is adaptive (Jimenez et al., "Sub-second
 * lookups on a large-scale Kademlia-based overlay", 2011: timeouts from measured round trips): the next
 * attempt goes out after the engine's {@link RoundTripEstimate} (smoothed RTT + 4 x its variation, within
 * {@code minTimeoutMillis..timeoutMillis}) instead of after the full timeout, while each attempt still
 * accepts its reply for {@code timeoutMillis}; so a lost datagram costs a few hundred ms, and a slow
 * node that answers late still counts. An attempt's reply is accepted for {@code replyWindowMillis}, which may
 * be longer than the longest wait before the next attempt: a node whose every round trip takes longer than a
 * second (0.15 % of pairs in {@code LinkModel.mainlineStable()}) still counts, so lookups stay exact.
 *
 * @param timeoutMillis    the longest wait before the next attempt; also how long its reply is accepted unless
 *                         {@code replyWindowMillis} is longer
 * @param maxAttempts      sends per query, the first included
 * @param minTimeoutMillis the shortest wait before the next attempt; equal to {@code timeoutMillis} for a fixed policy
 * @param alpha            queries a lookup keeps in flight ({@link Lookup#ALPHA} = 3 in BEP 5 and Kademlia)
 * @param replyWindowMillis how long one attempt's reply is accepted, at least {@code timeoutMillis}
 */
public record QueryPolicy(long timeoutMillis, int maxAttempts, long minTimeoutMillis, int alpha, long replyWindowMillis) {

    /** Production: a dead node costs 4 s; with 10 % loss each way a live one is missed 0.1 % of the time. */
    public static final QueryPolicy DEFAULT = new QueryPolicy(1_000, 4);

    /** For networks losing up to 10 % of datagrams each way where lookups must be exact: 0.03 % missed. */
    public static final QueryPolicy PATIENT = new QueryPolicy(1_000, 5);

    /**
     * {@link #PATIENT}'s attempts, each sent after the measured retransmission timeout (at least 100 ms:
     * a busy loopback node is not flooded) rather than after a fixed second.
     */
    public static final QueryPolicy ADAPTIVE = new QueryPolicy(1_000, 5, 100, Lookup.ALPHA, 3_000);

    public QueryPolicy {
        if (timeoutMillis <= 0 || maxAttempts < 1 || minTimeoutMillis <= 0 || minTimeoutMillis > timeoutMillis
                || alpha < 1 || replyWindowMillis < timeoutMillis) {
            throw new IllegalArgumentException(
                    "timeouts must be positive, min <= max <= reply window, attempts and alpha at least 1");
        }
    }

    /** Each attempt's reply accepted for {@code timeoutMillis}. */
    public QueryPolicy(long timeoutMillis, int maxAttempts, long minTimeoutMillis, int alpha) {
        this(timeoutMillis, maxAttempts, minTimeoutMillis, alpha, timeoutMillis);
    }

    /** With Kademlia's {@link Lookup#ALPHA} queries in flight per lookup. */
    public QueryPolicy(long timeoutMillis, int maxAttempts, long minTimeoutMillis) {
        this(timeoutMillis, maxAttempts, minTimeoutMillis, Lookup.ALPHA);
    }

    /** A fixed policy: every attempt waits {@code timeoutMillis}. */
    public QueryPolicy(long timeoutMillis, int maxAttempts) {
        this(timeoutMillis, maxAttempts, timeoutMillis);
    }

    public boolean adaptive() {
        return minTimeoutMillis < timeoutMillis;
    }
}
