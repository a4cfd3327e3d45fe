package io.kadtorrent.dht.sim;

import java.util.random.RandomGenerator;

/**
 * How the simulated network treats every datagram: a one-way latency drawn uniformly from
 * [minLatencyMillis, maxLatencyMillis] and an independent chance of loss.
 */
public record LinkModel(long minLatencyMillis, long maxLatencyMillis, double lossRate) {

    public LinkModel {
        if (minLatencyMillis < 0 || maxLatencyMillis < minLatencyMillis || lossRate < 0 || lossRate >= 1) {
            throw new IllegalArgumentException("bad link model");
        }
    }

    /** 10-100 ms one way, no loss. */
    public static LinkModel lossless() {
        return new LinkModel(10, 100, 0);
    }

    public LinkModel withLoss(double rate) {
        return new LinkModel(minLatencyMillis, maxLatencyMillis, rate);
    }

    long latencyMillis(RandomGenerator random) {
        return minLatencyMillis + random.nextLong(maxLatencyMillis - minLatencyMillis + 1);
    }

    boolean drops(RandomGenerator random) {
        return lossRate > 0 && random.nextDouble() < lossRate;
    }
}
