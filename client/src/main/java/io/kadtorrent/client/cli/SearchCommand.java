package io.kadtorrent.client.cli;

import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.PublisherKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code kadtorrent search PATTERN --server HOST:PORT [--json]}: one line per match,
 * {@code <info_hash hex>  <bytes>  <name>}, or a JSON array.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent search photo --server 192.0.2.1:6880",
                "  kadtorrent search .mkv --server 192.0.2.1:6880 --json"},
        description = "Find torrents on a metadata server whose name or a file path contains PATTERN (any case).")
final class SearchCommand implements Callable<Integer> {

    /** Stops after this many matches, so a pattern like "" cannot stream a huge catalog. */
    static final int MAX_RESULTS = 10_000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATTERN")
    String pattern;

    @Option(names = "--server", required = true, paramLabel = "HOST:PORT", converter = HostPortConverter.class)
    InetSocketAddress server;

    @Option(names = "--json", description = "Print a JSON array of {info_hash, name, length, files, publisher}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<TorrentSummary> found = new ArrayList<>();
        try (MetadataClient client = MetadataClient.connect(server, Duration.ofSeconds(30))) {
            MetadataResponse.Page page;
            do {
                page = client.search(pattern, found.size(), MetadataRequest.MAX_PAGE);
                found.addAll(page.torrents());
            } while (page.hasMore() && !page.torrents().isEmpty() && found.size() < MAX_RESULTS);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(found));
        } else {
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("no torrent on " + Addresses.format(server) + " matches " + pattern);
            }
            // the name last: it may hold spaces
            found.forEach(t -> out.println(t.infoHash().hex() + "  " + ByteSize.format(t.totalBytes()) + "  by "
                    + t.publisher().map(PublisherKey::fingerprint).orElse("unknown") + "  " + t.name()));
        }
        return 0;
    }

    static String toJson(List<TorrentSummary> torrents) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TorrentSummary t : torrents) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("info_hash", t.infoHash().hex());
            row.put("name", t.name());
            row.put("length", t.totalBytes());
            row.put("files", t.fileCount());
            row.put("publisher", t.publisher().map(PublisherKey::hex).orElse(null));
            rows.add(row);
        }
        return Json.writeLines(rows);
    }
}
