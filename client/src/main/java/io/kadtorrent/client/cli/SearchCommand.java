package io.kadtorrent.client.cli;

import com.google.common.io.MoreFiles;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.feed.ListedTorrent;
import io.kadtorrent.metadata.feed.PublisherCatalog;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.PublisherKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@code kadtorrent search PATTERN (--server HOST:PORT | --publisher KEY.pub --bootstrap HOST:PORT) [--json]}:
 * one line per match, {@code <info_hash hex>  <bytes>  by <publisher>  <name>}, or a JSON array. With
 * {@code --publisher} no server is asked: the publisher's signed catalog comes from the DHT and peers.
 */
@Command(name = "search", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent search photo --server 192.0.2.1:6880",
                "  kadtorrent search .mkv --server 192.0.2.1:6880 --json",
                "  kadtorrent search photo --publisher alice.key.pub --bootstrap 192.0.2.1:6881"},
        description = {"Find torrents on a metadata server whose name or a file path contains PATTERN (any case),",
                "or, with --publisher, torrents in that publisher's DHT catalog whose name contains it."})
final class SearchCommand implements Callable<Integer> {

    /** Stops after this many matches, so a pattern like "" cannot stream a huge catalog. */
    static final int MAX_RESULTS = 10_000;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATTERN")
    String pattern;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Metadata server to ask.")
    InetSocketAddress server;

    @Option(names = "--publisher", paramLabel = "KEY.pub",
            description = "Search this publisher's catalog in the DHT instead (no server; needs --bootstrap).")
    Path publisher;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0",
            description = "With --publisher: local address for the DHT and peers (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "With --publisher: give up after this long (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Mixin
    SaltOption salt = new SaltOption(); // with --publisher: which of the key's catalogs

    @Mixin
    DhtOptions dht = new DhtOptions();

    @Option(names = "--json", description = "Print a JSON array of {info_hash, name, length, files, publisher}.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((server == null) == (publisher == null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --server HOST:PORT and --publisher KEY.pub");
        }
        if (publisher != null) {
            return searchCatalog();
        }
        if (salt.salt != null) {
            throw new ParameterException(spec.commandLine(), "--salt goes with --publisher");
        }
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

    private int searchCatalog() throws Exception {
        if (dht.bootstrap.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--publisher needs --bootstrap HOST:PORT to join the DHT");
        }
        PublisherKey key = PublisherKey.read(publisher);
        PublisherCatalog catalog = resolve(key, salt.bytes(spec), SessionConfig.defaults().withBindHost(bind).withPort(0),
                dht, timeoutSeconds, spec.commandLine().getErr());
        List<ListedTorrent> hits = catalog.search(pattern);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ListedTorrent t : hits) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("info_hash", t.infoHash().hex());
                row.put("name", t.name());
                row.put("length", t.sizeBytes());
                row.put("date", t.dateSeconds());
                row.put("publisher", key.hex());
                rows.add(row);
            }
            out.println(Json.writeLines(rows));
        } else {
            if (hits.isEmpty()) {
                spec.commandLine().getErr().println("no torrent in the catalog of " + key.fingerprint() + " matches "
                        + pattern);
            }
            hits.forEach(t -> out.println(t.infoHash().hex() + "  " + ByteSize.format(t.sizeBytes()) + "  by "
                    + key.fingerprint() + "  " + t.name()));
        }
        return 0;
    }

    /**
     * {@code key}'s catalog under {@code salt} from the DHT and peers, through a session of its own that is
     * closed before returning; fails when the key has no catalog there or it does not verify.
     */
    static PublisherCatalog resolve(PublisherKey key, byte[] salt, SessionConfig session, DhtOptions dht,
                                    long timeoutSeconds, PrintWriter err) throws Exception {
        Path scratch = Files.createTempDirectory("kadtorrent-catalog-");
        try (Session s = Session.start(session, dht.toOneShotConfig(session.bindHost(), 0), DhtOptions.LOOKUP_INTERVAL)) {
            DhtCatalogs catalogs = new DhtCatalogs(s, scratch, salt);
            catalogs.awaitJoined(timeoutSeconds);
            return fetch(catalogs, key, timeoutSeconds, err);
        } finally {
            MoreFiles.deleteRecursively(scratch);
        }
    }

    /** {@code key}'s verified catalog through {@code catalogs}, saying on {@code err} what it found. */
    static PublisherCatalog fetch(DhtCatalogs catalogs, PublisherKey key, long timeoutSeconds, PrintWriter err)
            throws Exception {
        Optional<PublisherCatalog> found;
        try {
            found = catalogs.resolve(key).get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot read the catalog of " + key.fingerprint() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the catalog of " + key.fingerprint() + " did not arrive within "
                    + timeoutSeconds + " s (is anyone seeding it?)", e);
        }
        PublisherCatalog catalog = found.orElseThrow(() -> new IOException(
                "publisher " + key.fingerprint() + " has no catalog in the DHT"
                        + (catalogs.salt().length > 0 ? " under salt '" + new String(catalogs.salt(), UTF_8) + "'" : "")));
        err.println("catalog: " + key.fingerprint() + ", " + catalog.torrents().size() + " torrents, signature verified");
        err.flush();
        return catalog;
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
