package io.kadtorrent.dht.engine;

/**
 * How long the engine waits for a reply and how often it asks again. BEP 5 leaves both open.
 * More attempts make lookups exact under heavy loss but make every dead node cost
 * {@code timeoutMillis * maxAttempts} before a lookup can end.
 *
 * @param timeoutMillis wait for one reply; one-way delays on the Internet are well under 1 s
 * @param maxAttempts   sends per query, the first included
 */
public record QueryPolicy(long timeoutMillis, int maxAttempts) {

    /** Production: a dead node costs 4 s; with 10 % loss each way a live one is missed 0.1 % of the time. */
    public static final QueryPolicy DEFAULT = new QueryPolicy(1_000, 4);

    /** For networks losing up to 10 % of datagrams each way where lookups must be exact: 0.03 % missed. */
    public static final QueryPolicy PATIENT = new QueryPolicy(1_000, 5);

    public QueryPolicy {
        if (timeoutMillis <= 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("timeout must be positive and attempts at least 1");
        }
    }
}
