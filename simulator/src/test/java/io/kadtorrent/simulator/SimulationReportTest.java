package io.kadtorrent.simulator;

import io.kadtorrent.dht.sim.LinkModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small run's summary says what its results hold, and its report is one parseable page with every chart. */
class SimulationReportTest {

    /** 300 nodes, 100 lookups, 30 % churn in 3 steps, 5 % loss: a few seconds. */
    static final SimulationOptions SMALL = new SimulationOptions(300, 100, 0.3, 3, 5, new LinkModel(10, 100, 0.05), 42);

    static SimulationResults results;
    static final List<String> progress = new ArrayList<>();

    @BeforeAll
    static void run() {
        results = Simulation.run(SMALL, progress::add);
    }

    @Test
    void theResultsHoldEveryLookupAndEveryChurnStep() {
        assertEquals(SMALL.lookups(), results.hops().count());
        assertEquals(SMALL.lookups(), results.latencyMillis().count());
        assertEquals(SMALL.lookups(), results.messagesPerLookup().count());
        assertEquals(1 + SMALL.churnSteps(), results.churn().size());
        assertEquals(0, results.churn().get(0).replaced());
        assertEquals(3 * SMALL.nodesPerChurnStep(), results.afterChurn().replaced());
        assertEquals(SMALL.nodes(), results.contactsPerNode().count());
        assertEquals(SMALL.nodes() + results.afterChurn().replaced(), results.messagesPerNode().count());
        for (SimulationResults.ChurnPoint p : results.churn()) {
            assertTrue(p.torrentsFound() <= SMALL.torrents() && p.exact() <= p.lookups(), p.toString());
        }
        assertTrue(results.exactLookups() > 0.9 * SMALL.lookups(), "exact: " + results.exactLookups());
        assertTrue(progress.stream().anyMatch(l -> l.startsWith("joined: 300 nodes")), progress.toString());
    }

    @Test
    void theSummaryPrintsTheResultsOwnNumbers() {
        List<String> lines = SimulationSummary.lines(results);
        SimulationResults.ChurnPoint after = results.afterChurn();
        assertTrue(lines.contains("lookups: 100"), lines.toString());
        assertTrue(lines.contains("hops: median " + nearestRank(results.hops(), 0.5) + ", p99 "
                + nearestRank(results.hops(), 0.99)), lines.toString());
        assertTrue(lines.contains(String.format(Locale.ROOT, "exact K closest: %.1f %% (%d of 100)",
                results.exactLookups() * 100.0 / 100, results.exactLookups())), lines.toString());
        assertTrue(lines.contains("latency ms: p50 " + nearestRank(results.latencyMillis(), 0.5) + ", p90 "
                + nearestRank(results.latencyMillis(), 0.9) + ", p99 " + nearestRank(results.latencyMillis(), 0.99)),
                lines.toString());
        assertTrue(lines.contains("messages per node: median " + nearestRank(results.messagesPerNode(), 0.5) + ", p99 "
                + nearestRank(results.messagesPerNode(), 0.99) + ", max " + nearestRank(results.messagesPerNode(), 1)),
                lines.toString());
        assertTrue(lines.contains("announces found under churn: " + after.torrentsFound() + " of 5 (still stored: "
                + after.torrentsStored() + ")"), lines.toString());
        assertTrue(lines.contains("churn: " + after.replaced() + " of 300 nodes replaced in 3 steps (30 %)"),
                lines.toString());
    }

    /** The nearest-rank percentile worked out here from the raw values, not through {@link Distribution#percentile}. */
    private static long nearestRank(Distribution d, double q) {
        long[] v = d.values();
        int rank = (int) Math.ceil(q * v.length);
        return v[Math.max(1, rank) - 1];
    }

    @Test
    void theReportIsOneParseablePageWithEveryChart() throws Exception {
        String html = HtmlReport.render(results);
        Document doc = parse(html);
        NodeList svgs = doc.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < svgs.getLength(); i++) {
            ids.add(((Element) svgs.item(i)).getAttribute("id"));
        }
        assertEquals(HtmlReport.CHART_IDS, ids);
        for (int i = 0; i < svgs.getLength(); i++) {
            Element svg = (Element) svgs.item(i);
            int marks = svg.getElementsByTagNameNS("*", "rect").getLength()
                    + svg.getElementsByTagNameNS("*", "polyline").getLength();
            assertTrue(marks > 0, ids.get(i) + " draws nothing");
        }
        // the summary table holds the summary, line by line
        NodeList cells = doc.getElementsByTagNameNS("*", "td");
        assertEquals(SimulationSummary.lines(results).size(), cells.getLength());
        assertFalse(html.contains("<script"), "no script");
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/", "").contains("http://"),
                "nothing fetched");
    }

    @Test
    void theHopHistogramCountsEveryLookup() throws Exception {
        Document doc = parse(HtmlReport.render(results));
        Element hops = chart(doc, "hops");
        NodeList bars = hops.getElementsByTagNameNS("*", "rect");
        long counted = 0;
        for (int i = 0; i < bars.getLength(); i++) {
            String title = bars.item(i).getTextContent(); // "3: 42"
            counted += Long.parseLong(title.substring(title.indexOf(": ") + 2).replace(",", ""));
        }
        assertEquals(SMALL.lookups(), counted);
        assertEquals(results.hops().max() + 1, bars.getLength());
    }

    @Test
    void textIsEscaped() {
        assertEquals("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", HtmlReport.escape("a <b> & \"c\" 'd'"));
        String svg = SvgChart.bars("x<y", "<script>", "&", "\"", List.of("<1>"), new double[] {1}, null);
        assertFalse(svg.contains("<script>"), svg);
        assertTrue(svg.contains("id=\"x&lt;y\""), svg);
    }

    @Test
    void theReportIsWrittenWholeOrNotAtAll(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");
        Files.writeString(file, "old");
        HtmlReport.write(file, "<p>new</p>");
        assertEquals("<p>new</p>", Files.readString(file));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(file), left.toList(), "no temporary file left behind");
        }
    }

    @Test
    void theSameOptionsGiveTheSameResultsAndSummary() {
        SimulationOptions tiny = new SimulationOptions(120, 40, 0.2, 2, 3, LinkModel.mainline(), 9);
        SimulationResults a = Simulation.run(tiny, l -> { });
        SimulationResults b = Simulation.run(tiny, l -> { });
        assertEquals(a, b);
        assertEquals(SimulationSummary.lines(a), SimulationSummary.lines(b));
        assertEquals(HtmlReport.render(a), HtmlReport.render(b));
    }

    private static Document parse(String html) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element chart(Document doc, String id) {
        NodeList svgs = doc.getElementsByTagNameNS("*", "svg");
        for (int i = 0; i < svgs.getLength(); i++) {
            if (((Element) svgs.item(i)).getAttribute("id").equals(id)) {
                return (Element) svgs.item(i);
            }
        }
        throw new AssertionError("no chart " + id);
    }
}
