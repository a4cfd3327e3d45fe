package io.kadtorrent.simulator;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Simulation} measured. Every number the summary prints and every chart the report draws comes
 * from here; times are virtual milliseconds.
 *
 * @param options            what was run
 * @param hops               per stable lookup: query rounds until the closest node answered
 * @param latencyMillis      per stable lookup: virtual time from start until all K closest had answered
 * @param messagesPerLookup  per stable lookup: queries it sent, retries included
 * @param exactLookups       stable lookups that returned exactly the true K closest live nodes
 * @param contactsPerNode    per node, after the stable lookups: contacts in its routing table
 * @param contactsByDepth    mean contacts per node whose id shares exactly i leading bits with the node's own
 * @param churn              accuracy and announces found at each churn step; the first point is the stable network
 * @param messagesPerNode    per node that ever joined: datagrams it sent and received during the whole run
 * @param delivered          datagrams delivered by the network
 * @param lost               datagrams lost (the link's loss, or addressed to a node that had left)
 * @param virtualMillis      virtual time the whole run took
 * @param traceDigest        a digest of every delivery: equal for two runs of the same options
 */
public record SimulationResults(SimulationOptions options, Distribution hops, Distribution latencyMillis,
                                Distribution messagesPerLookup, int exactLookups, Distribution contactsPerNode,
                                double[] contactsByDepth, List<ChurnPoint> churn, Distribution messagesPerNode,
                                long delivered, long lost, long virtualMillis, long traceDigest) {

    public SimulationResults {
        contactsByDepth = contactsByDepth.clone();
        churn = List.copyOf(churn);
    }

    /**
     * One step of the churn phase.
     *
     * @param replaced         nodes that have left so far (as many have joined), of {@code options.nodes()}
     * @param lookups          lookups run at this step
     * @param exact            of those, the ones that returned exactly the true K closest live nodes
     * @param torrentsFound    torrents of the seed's whose get_peers (from a random live node) found the seed
     * @param torrentsStored   torrents the seed's address is still stored for on one of the 16 live nodes closest to them
     */
    public record ChurnPoint(int replaced, int lookups, int exact, int torrentsFound, int torrentsStored) {

        public double exactPercent() {
            return lookups == 0 ? 0 : 100.0 * exact / lookups;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulationResults r && options.equals(r.options) && hops.equals(r.hops)
                && latencyMillis.equals(r.latencyMillis) && messagesPerLookup.equals(r.messagesPerLookup)
                && exactLookups == r.exactLookups && contactsPerNode.equals(r.contactsPerNode)
                && Arrays.equals(contactsByDepth, r.contactsByDepth) && churn.equals(r.churn)
                && messagesPerNode.equals(r.messagesPerNode) && delivered == r.delivered && lost == r.lost
                && virtualMillis == r.virtualMillis && traceDigest == r.traceDigest;
    }

    @Override
    public int hashCode() {
        return Objects.hash(options, hops, latencyMillis, exactLookups, churn, delivered, traceDigest);
    }

    @Override
    public String toString() {
        return "SimulationResults[" + options + ", hops=" + hops + ", exact=" + exactLookups + ", churn=" + churn
                + ", delivered=" + delivered + ", lost=" + lost + ", trace=" + traceDigest + "]";
    }

    /** The mean contacts per node with {@code depth} shared leading id bits (0 past the deepest bucket). */
    public double contactsAtDepth(int depth) {
        return depth < contactsByDepth.length ? contactsByDepth[depth] : 0;
    }

    public double[] contactsByDepth() {
        return contactsByDepth.clone();
    }

    public double exactPercent() {
        return 100.0 * exactLookups / hops.count();
    }

    /** The churn phase's last point (the stable network's when there was no churn). */
    public ChurnPoint afterChurn() {
        return churn.get(churn.size() - 1);
    }
}
