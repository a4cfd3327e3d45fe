package io.kadtorrent.dht.sim;

import java.util.random.RandomGenerator;

/**
 * How the simulated network treats every datagram: an independent chance of loss, and a one-way
 * latency within [minLatencyMillis, maxLatencyMillis], drawn uniformly or, when {@code medianRttMillis}
 * is positive, as half of a log-normal round-trip time with that median and log-space spread
 * {@code rttSigma} (clamped into the range), the long right tail measured Internet RTTs have.
 */
public record LinkModel(long minLatencyMillis, long maxLatencyMillis, double lossRate,
                        double medianRttMillis, double rttSigma) {

    public LinkModel {
        if (minLatencyMillis < 0 || maxLatencyMillis < minLatencyMillis || lossRate < 0 || lossRate >= 1
                || medianRttMillis < 0 || rttSigma < 0) {
            throw new IllegalArgumentException("bad link model");
        }
    }

    /** Uniform one-way latency in [min, max] ms. */
    public LinkModel(long minLatencyMillis, long maxLatencyMillis, double lossRate) {
        this(minLatencyMillis, maxLatencyMillis, lossRate, 0, 0);
    }

    /** 10-100 ms one way, no loss. */
    public static LinkModel lossless() {
        return new LinkModel(10, 100, 0);
    }

    /**
     * Round trips as Mainline DHT nodes see them (bench/RESULTS.md, "DHT simulator", cites the
     * measurements): log-normal RTT with a 100 ms median and sigma 0.8 (p90 about 280 ms, p99 about
     * 640 ms), one way clamped to 5 ms - 1.5 s, and 5 % of datagrams lost, so about one query in ten
     * goes unanswered on a first try.
     */
    public static LinkModel mainline() {
        return new LinkModel(5, 1_500, 0.05, 100, 0.8);
    }

    public LinkModel withLoss(double rate) {
        return new LinkModel(minLatencyMillis, maxLatencyMillis, rate, medianRttMillis, rttSigma);
    }

    long latencyMillis(RandomGenerator random) {
        if (medianRttMillis > 0) {
            double rtt = medianRttMillis * Math.exp(rttSigma * random.nextGaussian());
            return Math.max(minLatencyMillis, Math.min(maxLatencyMillis, Math.round(rtt / 2)));
        }
        return minLatencyMillis + random.nextLong(maxLatencyMillis - minLatencyMillis + 1);
    }

    boolean drops(RandomGenerator random) {
        return lossRate > 0 && random.nextDouble() < lossRate;
    }
}
