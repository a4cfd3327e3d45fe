package io.kadtorrent.client.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The remote commands that only read the daemon and print what it has: {@code ls}, {@code show}, {@code peers},
 * and the links of {@code stream} and {@code ui}. {@code ls --json} prints one JSON array (DESIGN.md's CLI contract).
 */
final class QueryCommands {

    private QueryCommands() {
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the daemon's torrents.")
    static final class Ls extends RemoteCommand {
        private static final PlainArgs PLAIN = PlainArgs.of("ls").flag("--json").option("--state");

        @Option(names = "--json", description = "One JSON array (fields: docs/api.md).")
        boolean json;

        /** {@code ls [--json] [--state DIR]} without picocli, or empty when the arguments are not plain. */
        static Optional<Ls> plain(String[] args) {
            Optional<PlainArgs.Parsed> parsed = PLAIN.parse(args);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            Ls ls = new Ls();
            ls.json = parsed.get().has("--json");
            String state = parsed.get().value("--state");
            if (state != null) {
                Optional<Path> dir = PlainArgs.Parsed.path(state);
                if (dir.isEmpty()) {
                    return Optional.empty();
                }
                ls.state.state = dir.get();
            }
            return Optional.of(ls);
        }

        @Override
        void run(DaemonClient daemon) throws Exception {
            byte[] list = daemon.getBody("/api/v1/torrents");
            if (json) {
                out().println(compact(list));
                return;
            }
            List<TorrentSummary> torrents = TorrentSummary.readList(list);
            if (torrents.isEmpty()) {
                out().println("no torrents (add one with: kadtorrent add FILE.torrent, or share a folder with: kadtorrent share PATH)");
            }
            for (TorrentSummary t : torrents) {
                out().println(t.line());
            }
        }

        /** The daemon's JSON without whitespace, as Jackson writes it, copied token by token. */
        static String compact(byte[] json) throws IOException {
            StringWriter text = new StringWriter();
            try (JsonParser p = DaemonClient.JSON.createParser(json);
                 JsonGenerator g = DaemonClient.JSON.createGenerator(text)) {
                if (p.nextToken() != null) {
                    g.copyCurrentStructure(p);
                }
            }
            return text.toString();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one torrent: state, files, peers.")
    static final class Show extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "An info_hash, a unique prefix of one, or a unique name.")
        String id;

        @Override
        void run(DaemonClient daemon) throws Exception {
            JsonNode d = daemon.get(path(id));
            JsonNode t = d.get("torrent");
            PrintWriter out = out();
            out.println("info_hash: " + t.get("info_hash").asText());
            out.println("name: " + t.get("name").asText());
            out.println("state: " + t.get("state").asText() + (t.path("error").isTextual() ? " (" + t.get("error").asText() + ")" : ""));
            out.printf(Locale.ROOT, "progress: %.1f%% of %s%n", 100 * t.get("progress").asDouble(), ByteSize.format(t.get("size_bytes").asLong()));
            out.println("pieces: " + d.get("piece_count").asInt() + " x " + ByteSize.format(d.get("piece_size_bytes").asLong()));
            out.println("save-dir: " + t.get("save_dir").asText());
            out.println("downloaded: " + ByteSize.format(t.get("downloaded_bytes").asLong()) + ", uploaded: "
                    + ByteSize.format(t.get("uploaded_bytes").asLong()) + String.format(Locale.ROOT, " (ratio %.2f)", t.get("ratio").asDouble()));
            out.println("magnet: " + d.get("magnet").asText());
            for (JsonNode f : d.get("files")) {
                out.printf(Locale.ROOT, "file: %3d %6.1f%% %10s  %-6s  %s%n", f.get("index").asInt(),
                        100 * f.get("progress").asDouble(), ByteSize.format(f.get("size_bytes").asLong()),
                        f.get("priority").asText(), f.get("path").asText());
            }
            printPeers(out, d.get("peers"));
        }
    }

    @Command(name = "peers", mixinStandardHelpOptions = true,
            description = {"List a torrent's connected peers.",
                    "Flags: D downloading from it, d it chokes us, U uploading to it, u we choke it, O we dialled it, I it dialled us."})
    static final class Peers extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        void run(DaemonClient daemon) throws Exception {
            JsonNode peers = daemon.get(path(id) + "/peers");
            if (peers.isEmpty()) {
                out().println("no peers connected");
            }
            printPeers(out(), peers);
        }
    }

    /** One line a connected peer, as show and peers print them. */
    private static void printPeers(PrintWriter out, JsonNode peers) {
        for (JsonNode p : peers) {
            out.printf(Locale.ROOT, "peer: %-22s %-5s %-8s %-20s %6.1f%%  %10s/s down  %10s/s up%n",
                    p.get("address").asText(), p.get("flags").asText(), p.get("source").asText(), p.get("client").asText(), 100 * p.get("progress").asDouble(), ByteSize.format(p.get("down_rate").asLong()),
                    ByteSize.format(p.get("up_rate").asLong()));
        }
    }

    @Command(name = "stream", mixinStandardHelpOptions = true,
            description = {"Print the URL a player opens to watch or listen to a file while it downloads (it seeks too).",
                    "The URL carries a key that opens this torrent's files only; keep it private anyway."},
            footerHeading = "%nExamples:%n",
            footer = {"  mpv \"$(kadtorrent stream movie | sed -n 's/^url: //p')\"", "  kadtorrent stream show 'S01E02*'"})
    static final class Stream extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "An info_hash, a unique prefix of one, or a unique name.")
        String id;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE",
                description = "A file's index (from show) or a glob as in get --only (default: the largest file).")
        String file;

        @Override
        void run(DaemonClient daemon) throws Exception {
            JsonNode s = daemon.get(path(id) + "/stream" + (file == null ? "" : "?file=" + DaemonClient.encode(file)));
            out().println("url: " + s.get("url").asText());
            out().println("playlist: " + s.get("playlist").asText());
            out().println("file: " + s.get("index").asInt() + " " + s.get("path").asText() + " ("
                    + ByteSize.format(s.get("size_bytes").asLong()) + ")");
        }
    }

    @Command(name = "ui", mixinStandardHelpOptions = true, description = "Print the web UI's login link (it carries the token: keep it private).")
    static final class Ui extends RemoteCommand {
        @Override
        void run(DaemonClient daemon) throws IOException {
            out().println("url: " + daemon.base() + "/login?token=" + daemon.token());
        }
    }
}
