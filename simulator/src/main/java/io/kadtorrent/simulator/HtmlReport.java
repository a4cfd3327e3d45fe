package io.kadtorrent.simulator;

import io.kadtorrent.torrent.fs.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report of a {@link Simulation}: one self-contained HTML page (XHTML-clean, inline SVG from {@link SvgChart},
 * no script, nothing fetched) with the summary and a chart per question a learner asks of Kademlia.
 */
public final class HtmlReport {

    /** The id of each chart's {@code <svg>} element, in page order. */
    public static final List<String> CHART_IDS = List.of("hops", "latency-cdf", "accuracy-vs-churn",
            "contacts-by-depth", "contacts-per-node", "messages-per-node");

    private static final int CDF_POINTS = 400; // a CDF of 10,000 lookups still draws as 400 steps
    private static final int HISTOGRAM_BINS = 20;
    private static final String BLUE = "#2f6db5";
    private static final String ORANGE = "#d9822b";

    private HtmlReport() {
    }

    /** The page for {@code results}. */
    public static String render(SimulationResults r) {
        StringBuilder page = new StringBuilder(64 * 1024);
        page.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
                .append("<meta charset=\"utf-8\"/>\n<title>kadtorrent simulate: ")
                .append(escape(String.format(Locale.ROOT, "%,d nodes, seed %d", r.options().nodes(), r.options().seed())))
                .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        page.append("<h1>Kademlia simulation</h1>\n<p class=\"lead\">Real kadtorrent DHT engines exchanging real KRPC "
                + "datagrams over a simulated network, in virtual time. Every lookup is checked against the true K "
                + "closest live nodes, found by brute force.</p>\n");
        page.append("<table class=\"summary\">\n");
        for (String line : SimulationSummary.lines(r)) {
            int colon = line.indexOf(": ");
            page.append("<tr><th>").append(escape(line.substring(0, colon))).append("</th><td>")
                    .append(escape(line.substring(colon + 2))).append("</td></tr>\n");
        }
        page.append("</table>\n<div class=\"charts\">\n");
        figure(page, hops(r), "Query rounds until the closest node answered. Kademlia needs about log2(N)/3 "
                + "rounds with 8 contacts per bucket; each round halves the distance many times over.");
        figure(page, latencyCdf(r), "Share of lookups finished within a time: a lookup ends when all K closest "
                + "nodes have answered, so slow or lost replies show as a long tail.");
        figure(page, accuracyVsChurn(r), "After each churn step (nodes left, as many new ones joined, a minute "
                + "passed): lookups that found exactly the true K closest, and the seed's torrents a get_peers "
                + "still found. Nothing re-announces here; real clients do every 30 minutes.");
        figure(page, contactsByDepth(r), "Mean contacts per node by how many leading id bits they share with it (the depth "
                + "of their bucket). A bucket holds at most K; it fills as the node hears from nodes in its range, "
                + "and a bucket idle for 15 minutes is refreshed by a lookup into it.");
        figure(page, contactsPerNode(r), "Routing table size of every live node after the stable lookups. It grows "
                + "with log(N), not N: a node knows many nodes near its own id and few far away.");
        figure(page, messagesPerNode(r), "Datagrams each node sent and received over the whole run (queries, "
                + "answers, errors): how the work of the lookups, joins and refreshes is shared; the right-hand tail "
                + "is the busiest nodes.");
        page.append("</div>\n</body>\n</html>\n");
        return page.toString();
    }

    /** Writes {@code html} to {@code file} through a temporary file in the same folder, renamed into place. */
    public static void write(Path file, String html) throws IOException {
        AtomicFile.write(file.toAbsolutePath(), html.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code text} safe inside XML/HTML text and attribute values. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }

    private static void figure(StringBuilder page, String svg, String caption) {
        page.append("<figure>\n").append(svg).append("<figcaption>").append(escape(caption))
                .append("</figcaption>\n</figure>\n");
    }

    private static String hops(SimulationResults r) {
        long[] values = r.hops().values();
        int max = (int) r.hops().max();
        double[] counts = new double[max + 1];
        for (long v : values) {
            counts[(int) v]++;
        }
        List<String> labels = new ArrayList<>();
        for (int h = 0; h <= max; h++) {
            labels.add(Integer.toString(h));
        }
        return SvgChart.bars("hops", "Hops per lookup", "hops", "lookups", labels, counts, null);
    }

    private static String latencyCdf(SimulationResults r) {
        Distribution d = r.latencyMillis();
        int points = Math.min(CDF_POINTS, d.count());
        double[] xs = new double[points + 1];
        double[] ys = new double[points + 1];
        for (int i = 1; i <= points; i++) {
            double q = (double) i / points;
            xs[i] = d.percentile(q);
            ys[i] = 100 * q;
        }
        xs[0] = d.min();
        return SvgChart.lines("latency-cdf", "Lookup latency (CDF)", "virtual milliseconds to the K closest",
                "% of lookups", d.max(), 100, List.of(new SvgChart.Series("lookups", BLUE, xs, ys, true)));
    }

    private static String accuracyVsChurn(SimulationResults r) {
        List<SimulationResults.ChurnPoint> points = r.churn();
        double[] xs = new double[points.size()];
        double[] exact = new double[points.size()];
        double[] found = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            SimulationResults.ChurnPoint p = points.get(i);
            xs[i] = 100.0 * p.replaced() / r.options().nodes();
            exact[i] = p.exactPercent();
            found[i] = 100.0 * p.torrentsFound() / r.options().torrents();
        }
        return SvgChart.lines("accuracy-vs-churn", "Accuracy vs churn", "% of nodes replaced so far", "%",
                Math.max(xs[xs.length - 1], 10), 100, List.of(
                        new SvgChart.Series("exact K closest", BLUE, xs, exact, false),
                        new SvgChart.Series("announces found", ORANGE, xs, found, false)));
    }

    private static String contactsByDepth(SimulationResults r) {
        double[] means = r.contactsByDepth();
        List<String> labels = new ArrayList<>();
        for (int d = 0; d < means.length; d++) {
            labels.add(Integer.toString(d));
        }
        return SvgChart.bars("contacts-by-depth", "Routing table fill by bucket depth", "shared leading id bits",
                "contacts per node", labels, means, new SvgChart.Reference("K = " + Simulation.K, Simulation.K));
    }

    private static String contactsPerNode(SimulationResults r) {
        return histogram("contacts-per-node", "Contacts per node", "contacts in the routing table", "nodes",
                r.contactsPerNode());
    }

    private static String messagesPerNode(SimulationResults r) {
        return histogram("messages-per-node", "Messages per node", "datagrams sent and received", "nodes",
                r.messagesPerNode());
    }

    /** Bars over up to {@link #HISTOGRAM_BINS} equal ranges of whole numbers from the minimum to the maximum. */
    private static String histogram(String id, String title, String xLabel, String yLabel, Distribution d) {
        long min = d.min();
        long width = Math.max(1, (d.max() - min + HISTOGRAM_BINS) / HISTOGRAM_BINS);
        int bins = (int) ((d.max() - min) / width) + 1;
        double[] counts = new double[bins];
        for (long v : d.values()) {
            counts[(int) ((v - min) / width)]++;
        }
        List<String> labels = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            long from = min + b * width;
            labels.add(width == 1 ? Long.toString(from) : from + "-" + (from + width - 1));
        }
        return SvgChart.bars(id, title, xLabel, yLabel, labels, counts, null);
    }

    private static final String STYLE = """
            body { font-family: system-ui, sans-serif; margin: 24px; color: #222; background: #fff; }
            h1 { font-size: 22px; margin: 0 0 6px; }
            .lead { color: #555; max-width: 1100px; }
            table.summary { border-collapse: collapse; margin: 12px 0 18px; font-size: 14px; }
            table.summary th { text-align: left; padding: 2px 16px 2px 0; color: #555; font-weight: 600; }
            table.summary td { padding: 2px 0; font-family: ui-monospace, monospace; }
            .charts { display: flex; flex-wrap: wrap; gap: 10px 24px; }
            figure { margin: 0; width: 560px; }
            figcaption { font-size: 12px; color: #555; margin-top: 2px; }
            svg.chart { background: #fafafa; border: 1px solid #e3e3e3; }
            svg .title { font-size: 14px; font-weight: 600; fill: #222; }
            svg .tick { font-size: 10px; fill: #555; }
            svg .label { font-size: 11px; fill: #333; }
            svg .grid { stroke: #e6e6e6; }
            svg .axis { stroke: #888; }
            svg .bar { fill: #2f6db5; }
            svg .reference { stroke: #d9822b; stroke-dasharray: 5 4; stroke-width: 1.5; }
            """;
}
