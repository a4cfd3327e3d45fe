package io.kadtorrent.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plain-text summary of a {@link SimulationResults}: one {@code key: value} line per figure, in the order a
 * reader meets them in the report. Only virtual-time figures, so the same options print the same summary.
 */
public final class SimulationSummary {

    private SimulationSummary() {
    }

    public static List<String> lines(SimulationResults r) {
        SimulationOptions o = r.options();
        List<String> lines = new ArrayList<>();
        SimulationResults.ChurnPoint stable = r.churn().get(0);
        SimulationResults.ChurnPoint after = r.afterChurn();
        lines.add(format("nodes: %,d (joined through the protocol), seed %d", o.nodes(), o.seed()));
        lines.add("link: " + o.linkDescription());
        lines.add(format("lookups: %,d", r.hops().count()));
        lines.add(format("hops: median %d, p99 %d", r.hops().median(), r.hops().percentile(0.99)));
        lines.add(format("exact K closest: %.1f %% (%,d of %,d)", r.exactPercent(), r.exactLookups(), r.hops().count()));
        lines.add(format("latency ms: p50 %d, p90 %d, p99 %d", r.latencyMillis().median(),
                r.latencyMillis().percentile(0.9), r.latencyMillis().percentile(0.99)));
        lines.add(format("messages per lookup: median %d, p99 %d", r.messagesPerLookup().median(),
                r.messagesPerLookup().percentile(0.99)));
        lines.add(format("messages per node: median %d, p99 %d, max %d", r.messagesPerNode().median(),
                r.messagesPerNode().percentile(0.99), r.messagesPerNode().max()));
        lines.add(format("contacts per node: median %d, min %d, max %d", r.contactsPerNode().median(),
                r.contactsPerNode().min(), r.contactsPerNode().max()));
        lines.add(format("announces found: %d of %d before churn", stable.torrentsFound(), o.torrents()));
        if (r.churn().size() > 1) {
            lines.add(format("churn: %,d of %,d nodes replaced in %d steps (%.0f %%)", after.replaced(), o.nodes(),
                    o.churnSteps(), 100.0 * after.replaced() / o.nodes()));
            lines.add(format("exact K closest under churn: %.1f %% after the last step (%d of %d)",
                    after.exactPercent(), after.exact(), after.lookups()));
            lines.add(format("announces found under churn: %d of %d (still stored: %d)", after.torrentsFound(),
                    o.torrents(), after.torrentsStored()));
        }
        lines.add(format("datagrams: %,d delivered, %,d lost; virtual time %.1f s", r.delivered(), r.lost(),
                r.virtualMillis() / 1000.0));
        return lines;
    }

    private static String format(String pattern, Object... args) {
        return String.format(Locale.ROOT, pattern, args);
    }
}
