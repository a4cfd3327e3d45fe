package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code kadtorrent simulate}: a small run end to end, and bad options as usage errors. */
class SimulateCommandTest {

    private static final String[] SMALL = {"simulate", "--nodes", "200", "--lookups", "60", "--churn", "0.2",
            "--churn-steps", "2", "--torrents", "4", "--latency", "mainline", "--random-seed", "5"};

    @Test
    void aSmallRunPrintsTheSummaryAndWritesTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("sim.html");
        CliRun run = CliRun.of(concat(SMALL, "--report", report.toString()));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("200 (joined through the protocol), seed 5", run.line("nodes"));
        assertEquals("log-normal RTT, median 100 ms, sigma 0.8, one way 5-1500 ms, 5.0 % loss", run.line("link"));
        assertEquals("60", run.line("lookups"));
        assertTrue(run.line("hops").matches("median \\d+, p99 \\d+"), run.out());
        assertTrue(run.line("exact K closest").matches("\\d+\\.\\d % \\(\\d+ of 60\\)"), run.out());
        assertTrue(run.line("latency ms").matches("p50 \\d+, p90 \\d+, p99 \\d+"), run.out());
        assertTrue(run.line("announces found under churn").matches("\\d of 4 \\(still stored: \\d\\)"), run.out());
        assertEquals(report.toString(), run.line("report"));
        String html = Files.readString(report);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("id=\"accuracy-vs-churn\""), html);
        assertTrue(run.err().contains("simulate: joined: 200 nodes"), run.err());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the report, no temporary file");
        }
    }

    @Test
    void theSameSeedPrintsTheSameSummary() {
        CliRun a = CliRun.of(SMALL);
        CliRun b = CliRun.of(SMALL);
        assertEquals(0, a.exitCode(), a.err());
        assertEquals(a.out(), b.out());
        assertFalse(a.out().contains("report:"), a.out());
    }

    @Test
    void badOptionsAreUsageErrors() {
        String[][] cases = {
                {"--nodes", "2000001"}, {"--nodes", "1"}, {"--nodes", "many"}, {"--lookups", "0"},
                {"--churn", "0.95"}, {"--churn", "-0.1"}, {"--churn-steps", "0"}, {"--loss", "0.6"},
                {"--loss", "NaN"}, {"--latency", "uniform:100-10"}, {"--latency", "gaussian"},
                {"--latency", "uniform:0-20000"}, {"--torrents", "0"}};
        for (String[] bad : cases) {
            CliRun run = CliRun.of(concat(new String[] {"simulate"}, bad));
            String what = String.join(" ", bad) + ": " + run.err();
            assertEquals(2, run.exitCode(), what);
            assertTrue(run.err().startsWith("error: "), what);
            assertTrue(run.err().contains("try 'kadtorrent simulate --help'"), what);
            assertEquals("", run.out(), what);
        }
        CliRun tooMany = CliRun.of("simulate", "--nodes", "3000000");
        assertTrue(tooMany.err().startsWith("error: nodes must be 2 to 2,000,000, not 3,000,000"), tooMany.err());
    }

    @Test
    void aReportInAMissingFolderFailsBeforeTheRun(@TempDir Path dir) {
        Path report = dir.resolve("missing").resolve("sim.html");
        CliRun run = CliRun.of("simulate", "--report", report.toString());
        assertEquals(1, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("error: cannot write " + report), run.err());
        assertFalse(run.err().contains("simulate: joining"), run.err());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
