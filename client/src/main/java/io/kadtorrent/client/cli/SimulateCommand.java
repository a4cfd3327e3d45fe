package io.kadtorrent.client.cli;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.simulator.HtmlReport;
import io.kadtorrent.simulator.Simulation;
import io.kadtorrent.simulator.SimulationOptions;
import io.kadtorrent.simulator.SimulationResults;
import io.kadtorrent.simulator.SimulationSummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code kadtorrent simulate}: the DHT simulator for people learning how Kademlia behaves; prints a summary
 * and writes an HTML report with charts ({@code docs/simulate.md}).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent simulate --report sim.html                         # 2,000 nodes, 500 lookups, 30 %% churn",
                "  kadtorrent simulate --nodes 10000 --latency mainline --report sim.html",
                "  kadtorrent simulate --churn 0.6 --churn-steps 10 --loss 0.1 --random-seed 7"},
        description = {"Simulate a Kademlia DHT in virtual time: real kadtorrent engines exchange real KRPC datagrams "
                + "over a simulated network. Nodes join through the protocol, look up random ids (each result checked "
                + "against the true K closest), a seed announces torrents, then nodes leave and join in steps.",
                "Prints a summary; --report writes a self-contained HTML page with charts. The same options and "
                        + "--random-seed give the same summary."})
final class SimulateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", defaultValue = "2000",
            description = "Nodes that join through the protocol (2 to 2,000,000; default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--lookups", paramLabel = "N", defaultValue = "500",
            description = "find_node lookups of random ids in the stable network (default ${DEFAULT-VALUE}).")
    int lookups;

    @Option(names = "--churn", paramLabel = "FRACTION", defaultValue = "0.3",
            description = "Fraction of the nodes that leave after the lookups, as many new ones joining (0 to 0.9; "
                    + "default ${DEFAULT-VALUE}).")
    double churn;

    @Option(names = "--churn-steps", paramLabel = "N", defaultValue = "5",
            description = "Steps the churn is spread over, a virtual minute apart (default ${DEFAULT-VALUE}).")
    int churnSteps;

    @Option(names = "--latency", paramLabel = "MODEL", defaultValue = "uniform:10-100", converter = LatencyConverter.class,
            description = "One-way latency: uniform:MIN-MAX milliseconds, or mainline (log-normal round trips with "
                    + "a 100 ms median, as measured on the Mainline DHT) (default ${DEFAULT-VALUE}).")
    LinkModel latency;

    @Option(names = "--loss", paramLabel = "FRACTION",
            description = "Chance each datagram is lost (0 to 0.5; default 0, or 0.05 with --latency mainline).")
    Double loss;

    @Option(names = "--torrents", paramLabel = "N", defaultValue = "20",
            description = "Torrents the seed node announces before the churn (default ${DEFAULT-VALUE}).")
    int torrents;

    @Option(names = "--random-seed", paramLabel = "S", defaultValue = "1",
            description = "Seed of every random draw (default ${DEFAULT-VALUE}).")
    long randomSeed;

    @Option(names = "--report", paramLabel = "FILE.html", description = "Write the HTML report with charts here.")
    Path report;

    static final double MAX_LOSS = 0.5;

    @Override
    public Integer call() throws IOException {
        SimulationOptions options = options();
        if (report != null) {
            Path folder = report.toAbsolutePath().getParent();
            if (!Files.isDirectory(folder)) {
                throw CliErrors.aboutPath("cannot write", report, new NoSuchFileException(folder.toString()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        SimulationResults results = Simulation.run(options, line -> {
            err.println("simulate: " + line);
            err.flush();
        });
        SimulationSummary.lines(results).forEach(out::println);
        if (report != null) {
            try {
                HtmlReport.write(report, HtmlReport.render(results));
            } catch (IOException e) {
                throw CliErrors.aboutPath("cannot write", report, e);
            }
            out.println("report: " + report);
        }
        out.flush();
        return 0;
    }

    /** The options as given, or a usage error (exit 2) naming the one out of range. */
    SimulationOptions options() {
        LinkModel link = latency;
        if (loss != null) {
            if (!(loss >= 0 && loss <= MAX_LOSS)) {
                throw new ParameterException(spec.commandLine(), "--loss must be a fraction from 0 to " + MAX_LOSS
                        + ", not " + loss);
            }
            link = link.withLoss(loss);
        }
        try {
            return new SimulationOptions(nodes, lookups, churn, churnSteps, torrents, link, randomSeed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Reads {@code mainline} or {@code uniform:MIN-MAX} (one-way milliseconds, up to 10 s). */
    static final class LatencyConverter implements CommandLine.ITypeConverter<LinkModel> {

        static final long MAX_LATENCY_MILLIS = 10_000;
        private static final Pattern UNIFORM = Pattern.compile("uniform:(\\d{1,6})-(\\d{1,6})");

        @Override
        public LinkModel convert(String value) {
            if (value.equals("mainline")) {
                return LinkModel.mainline();
            }
            Matcher m = UNIFORM.matcher(value);
            if (m.matches()) {
                long min = Long.parseLong(m.group(1));
                long max = Long.parseLong(m.group(2));
                if (min <= max && max <= MAX_LATENCY_MILLIS) {
                    return new LinkModel(min, max, 0);
                }
            }
            throw new CommandLine.TypeConversionException("'" + value + "' is not a latency model: mainline, or "
                    + "uniform:MIN-MAX with 0 <= MIN <= MAX <= " + MAX_LATENCY_MILLIS + " milliseconds");
        }
    }
}
