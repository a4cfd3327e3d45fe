package io.kadtorrent.dht.sim;

import java.util.random.RandomGenerator;

/**
 * How the simulated network treats every datagram: an independent chance of loss, and a one-way
 * latency within [minLatencyMillis, maxLatencyMillis], drawn uniformly or, when {@code medianRttMillis}
 * is positive, as half of a log-normal round-trip time with that median and log-space spread
 * {@code rttSigma} (clamped into the range), the long right tail measured Internet RTTs have.
 *
 * <p>With {@code jitterSigma < rttSigma} the log-normal RTT is <em>stable</em>: of its log-space variance
 * {@code rttSigma²}, only {@code jitterSigma²} is drawn afresh for every datagram; the rest is fixed for a
 * pair of nodes, one third from each node's own access link (a factor drawn once per node: a node on a
 * slow link is slow to everyone) and one third from the pair itself (their distance, drawn from a hash of
 * the pair). So every datagram's RTT still has the same log-normal distribution (median, tail) as the
 * fresh model, but a node that answered fast once will answer fast again. Node and pair draws are hashes
 * of the seed and the node indices: deterministic, no state beyond one number per node.
 */
public record LinkModel(long minLatencyMillis, long maxLatencyMillis, double lossRate,
                        double medianRttMillis, double rttSigma, double jitterSigma) {

    public LinkModel {
        if (minLatencyMillis < 0 || maxLatencyMillis < minLatencyMillis || lossRate < 0 || lossRate >= 1
                || medianRttMillis < 0 || rttSigma < 0 || jitterSigma < 0 || jitterSigma > rttSigma) {
            throw new IllegalArgumentException("bad link model");
        }
    }

    /** Log-normal RTTs drawn afresh for every datagram (no node is faster than another). */
    public LinkModel(long minLatencyMillis, long maxLatencyMillis, double lossRate,
                     double medianRttMillis, double rttSigma) {
        this(minLatencyMillis, maxLatencyMillis, lossRate, medianRttMillis, rttSigma, rttSigma);
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
     * goes unanswered on a first try. Every datagram draws afresh.
     */
    public static LinkModel mainline() {
        return new LinkModel(5, 1_500, 0.05, 100, 0.8);
    }

    /**
     * {@link #mainline()}'s distribution and loss, but stable per pair of nodes: log RTT = log 100 ms + the
     * sender's and receiver's access terms (sigma 0.45 each) + the pair's term (sigma 0.45) + jitter per
     * datagram (sigma 0.2); 0.2 + 0.2 + 0.2 + 0.04 = 0.64 = 0.8². Node x's own terms put its median RTT to
     * everyone between 0.56x and 1.8x of the overall median for the middle 80 % of nodes.
     */
    public static LinkModel mainlineStable() {
        return new LinkModel(5, 1_500, 0.05, 100, 0.8, 0.2);
    }

    public LinkModel withLoss(double rate) {
        return new LinkModel(minLatencyMillis, maxLatencyMillis, rate, medianRttMillis, rttSigma, jitterSigma);
    }

    /** True when part of the RTT is fixed per node and per pair. */
    public boolean stable() {
        return medianRttMillis > 0 && jitterSigma < rttSigma;
    }

    /** One-way latency of a datagram between nodes with indices {@code from} and {@code to}, in a network of {@code seed}. */
    long latencyMillis(RandomGenerator random, long seed, int from, int to) {
        if (!stable()) {
            return latencyMillis(random);
        }
        double third = Math.sqrt((rttSigma * rttSigma - jitterSigma * jitterSigma) / 3);
        double fixed = third * (gaussian(seed, from, from) + gaussian(seed, to, to)
                + gaussian(seed, Math.min(from, to), Math.max(from, to)) * (from == to ? 0 : 1));
        double rtt = medianRttMillis * Math.exp(fixed + jitterSigma * random.nextGaussian());
        return clamp(rtt / 2);
    }

    long latencyMillis(RandomGenerator random) {
        if (medianRttMillis > 0) {
            double rtt = medianRttMillis * Math.exp(rttSigma * random.nextGaussian());
            return clamp(rtt / 2);
        }
        return minLatencyMillis + random.nextLong(maxLatencyMillis - minLatencyMillis + 1);
    }

    private long clamp(double oneWay) {
        return Math.max(minLatencyMillis, Math.min(maxLatencyMillis, Math.round(oneWay)));
    }

    /**
     * A standard normal number fixed by {@code (seed, a, b)}: (a, a) is node a's own draw, (a, b) with a < b the
     * pair's. Box-Muller over two hashed uniforms, so no state is kept per node or pair.
     */
    static double gaussian(long seed, int a, int b) {
        long h = mix(seed ^ mix(((long) a << 32) | (b & 0xffffffffL)));
        double u1 = ((mix(h) >>> 11) + 1) * 0x1.0p-53; // (0, 1]: log is finite
        double u2 = (mix(h + 0x9e3779b97f4a7c15L) >>> 11) * 0x1.0p-53;
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** SplitMix64's finaliser: every input bit moves every output bit. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    boolean drops(RandomGenerator random) {
        return lossRate > 0 && random.nextDouble() < lossRate;
    }
}
