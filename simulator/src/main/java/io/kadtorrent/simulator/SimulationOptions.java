package io.kadtorrent.simulator;

import io.kadtorrent.dht.sim.LinkModel;

import java.util.Locale;

/**
 * What one {@link Simulation} runs: how many nodes join, how many lookups they make, how much churn follows,
 * the link every datagram crosses and the seed that makes the run repeatable. Validated here, so that a
 * command line maps its flags straight onto it.
 *
 * @param nodes      nodes that join through the real bootstrap, 2 to {@link #MAX_NODES}
 * @param lookups    find_node lookups of random targets in the stable network
 * @param churn      fraction of the nodes that leave during the churn phase (as many new ones join), 0 to 0.9
 * @param churnSteps steps the churn is spread over, one virtual minute apart
 * @param torrents   torrents the seed node announces before the churn, then looks for after each step
 * @param link       latency and loss of every datagram
 * @param seed       the one seed of every random draw: the same options give the same results
 */
public record SimulationOptions(int nodes, int lookups, double churn, int churnSteps, int torrents, LinkModel link,
                                long seed) {

    public static final int MAX_NODES = 2_000_000;
    public static final int MAX_LOOKUPS = 1_000_000;
    public static final double MAX_CHURN = 0.9;
    public static final int MAX_CHURN_STEPS = 100;
    public static final int MAX_TORRENTS = 10_000;

    public SimulationOptions {
        require(nodes >= 2 && nodes <= MAX_NODES,
                String.format(Locale.ROOT, "nodes must be 2 to %,d, not %,d", MAX_NODES, nodes));
        require(lookups >= 1 && lookups <= MAX_LOOKUPS,
                String.format(Locale.ROOT, "lookups must be 1 to %,d, not %,d", MAX_LOOKUPS, lookups));
        require(churn >= 0 && churn <= MAX_CHURN, "churn must be a fraction from 0 to " + MAX_CHURN + ", not " + churn);
        require(churnSteps >= 1 && churnSteps <= MAX_CHURN_STEPS,
                "churn steps must be 1 to " + MAX_CHURN_STEPS + ", not " + churnSteps);
        require(torrents >= 1 && torrents <= MAX_TORRENTS,
                String.format(Locale.ROOT, "torrents must be 1 to %,d, not %,d", MAX_TORRENTS, torrents));
        if (link == null) {
            throw new IllegalArgumentException("no link model");
        }
    }

    /** 2,000 nodes, 500 lookups, 30 % churn in 5 steps, 20 torrents, 10-100 ms uniform one way, no loss, seed 1. */
    public static SimulationOptions defaults() {
        return new SimulationOptions(2_000, 500, 0.3, 5, 20, LinkModel.lossless(), 1);
    }

    /** Lookups run at each churn step: a fifth of the stable ones shared among the steps, at least 20 per step. */
    public int lookupsPerChurnStep() {
        return Math.max(20, lookups / 5 / churnSteps);
    }

    /** Nodes that leave (and join) at each churn step. */
    public int nodesPerChurnStep() {
        return (int) Math.round(nodes * churn / churnSteps);
    }

    /** The link in words, e.g. "uniform 10-100 ms one way, 0.0 % loss". */
    public String linkDescription() {
        String latency = link.medianRttMillis() > 0
                ? String.format(Locale.ROOT, "log-normal RTT, median %.0f ms, sigma %.1f, one way %d-%d ms",
                        link.medianRttMillis(), link.rttSigma(), link.minLatencyMillis(), link.maxLatencyMillis())
                : String.format(Locale.ROOT, "uniform %d-%d ms one way", link.minLatencyMillis(), link.maxLatencyMillis());
        return String.format(Locale.ROOT, "%s, %.1f %% loss", latency, 100 * link.lossRate());
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
