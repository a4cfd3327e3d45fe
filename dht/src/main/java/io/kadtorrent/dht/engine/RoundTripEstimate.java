package io.kadtorrent.dht.engine;

/**
 * The engine's estimate of a query's round trip, kept as TCP keeps it (RFC 6298 section 2): a smoothed
 * RTT and its mean deviation, updated with gains 1/8 and 1/4 from every reply; the retransmission
 * timeout is {@code srtt + 4 * rttvar}, held within the policy's bounds. Each attempt has its own
 * transaction id, so every sample is unambiguous (no Karn's rule needed). Engine-thread only.
 */
final class RoundTripEstimate {

    private final long minMillis;
    private final long maxMillis;
    private double srttMillis = -1; // no sample yet
    private double rttvarMillis;

    RoundTripEstimate(long minMillis, long maxMillis) {
        this.minMillis = minMillis;
        this.maxMillis = maxMillis;
    }

    /** A reply arrived {@code rttMillis} after its attempt was sent. */
    void sample(long rttMillis) {
        double r = Math.max(0, rttMillis);
        if (srttMillis < 0) {
            srttMillis = r;
            rttvarMillis = r / 2;
        } else {
            rttvarMillis = 0.75 * rttvarMillis + 0.25 * Math.abs(srttMillis - r);
            srttMillis = 0.875 * srttMillis + 0.125 * r;
        }
    }

    /**
     * A reply later than this is a straggler: srtt + 1.5 rttvar, about the 90th percentile of Mainline-like round
     * trips (log-normal, sigma 0.8), within the bounds and never past {@link #timeoutMillis}.
     */
    long stragglerMillis() {
        if (srttMillis < 0) {
            return maxMillis;
        }
        return Math.min(timeoutMillis(), Math.max(minMillis, (long) Math.ceil(srttMillis + 1.5 * rttvarMillis)));
    }

    /** How long to wait for a reply before sending the next attempt: the upper bound until a first sample. */
    long timeoutMillis() {
        if (srttMillis < 0) {
            return maxMillis;
        }
        return Math.max(minMillis, Math.min(maxMillis, (long) Math.ceil(srttMillis + 4 * rttvarMillis)));
    }
}
