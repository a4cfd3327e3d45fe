package io.kadtorrent.client.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The commands that talk to a running daemon over its API (found through {@code --state}). Their stable
 * lines follow DESIGN.md's CLI contract: {@code info_hash: <hex>} after add and share, one JSON array from
 * {@code ls --json}.
 */
final class RemoteCommands {

    private RemoteCommands() {
    }

    /** Shared by every remote command: the state folder, the output, and the daemon's errors as exit code 1. */
    abstract static class Remote implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StateOption state = new StateOption();

        private PrintWriter out;

        PrintWriter out() {
            return out;
        }

        @Override
        public final Integer call() throws Exception {
            return call(spec.commandLine().getOut(), spec.commandLine().getErr());
        }

        /** Runs the command, printing to these: picocli's streams, or {@link PlainCommands}' without picocli. */
        final int call(PrintWriter out, PrintWriter err) throws Exception {
            this.out = out;
            checkUsage();
            try {
                run(state.connect());
            } catch (DaemonClient.DaemonException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 1;
            }
            out.flush();
            return 0;
        }

        abstract void run(DaemonClient daemon) throws Exception;

        /** Throws a usage error for options that do not go together, before the daemon is asked anything. */
        void checkUsage() {
        }

        static String path(String id) {
            return "/api/v1/torrents/" + DaemonClient.encode(id);
        }
    }

    /** One torrent, as the human-readable commands print it. */
    static String line(JsonNode t) throws IOException {
        return TorrentSummary.of(t).line();
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a torrent to the daemon: a .torrent file, a magnet link, an info_hash, or a name on a metadata server.",
            footerHeading = "%nExamples:%n",
            footer = {"  kadtorrent add photos.torrent -o ~/Downloads",
                    "  kadtorrent add 'magnet:?xt=urn:btih:...' --peer 192.0.2.10:6881",
                    "  kadtorrent add photos --server 192.0.2.1:6880"})
    static final class Add extends Remote {
        @Parameters(index = "0", paramLabel = "SOURCE", description = "FILE.torrent, MAGNET, INFOHASH, or NAME with --server.")
        String source;

        @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Parent folder of the data (default: the daemon's download folder).")
        Path output;

        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Metadata server to fetch NAME (or INFOHASH) from.")
        String server;

        @Option(names = "--peer", paramLabel = "HOST:PORT", description = "A peer to dial (repeatable).")
        List<String> peers = new ArrayList<>();

        @Option(names = "--paused", description = "Add without starting.")
        boolean paused;

        @Option(names = "--only", paramLabel = "GLOB", description = "Download only the files matching GLOB (repeatable; as in get).")
        List<String> only = new ArrayList<>();

        @Option(names = "--skip", paramLabel = "GLOB", description = "Do not download the files matching GLOB (repeatable).")
        List<String> skip = new ArrayList<>();

        @Option(names = "--sequential", description = "Fetch pieces in order, first to last, instead of rarest first.")
        boolean sequential;

        @Override
        void run(DaemonClient daemon) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (server != null) {
                body.put("name", source);
                body.put("server", server);
            } else if (MagnetLink.looksLikeMagnet(source)) {
                body.put("magnet", source);
            } else if (Files.isRegularFile(Path.of(source))) {
                // parsed here too, so a bad file is reported with its path before anything is sent
                io.kadtorrent.torrent.metainfo.MetainfoParser.read(Path.of(source));
                body.put("torrent", Base64.getEncoder().encodeToString(Files.readAllBytes(Path.of(source))));
            } else if (InfoHash.looksLikeInfoHash(source)) {
                body.put("info_hash", source);
            } else {
                throw new ParameterException(spec.commandLine(), "no such file: " + source
                        + " (give a .torrent file, a magnet link, an info_hash, or a name with --server HOST:PORT)");
            }
            if (output != null) {
                body.put("save_dir", output.toAbsolutePath().normalize().toString());
            }
            body.put("paused", paused);
            body.put("peers", peers);
            body.put("only", only);
            body.put("skip", skip);
            body.put("sequential", sequential);
            JsonNode added = daemon.post("/api/v1/torrents", body);
            JsonNode t = added.get("torrent");
            out().println("info_hash: " + t.get("info_hash").asText());
            out().println((added.get("existed").asBoolean() ? "already added: " : "added: ") + t.get("name").asText());
        }
    }

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the daemon's torrents.")
    static final class Ls extends Remote {
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
    static final class Show extends Remote {
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

    static void printPeers(PrintWriter out, JsonNode peers) {
        for (JsonNode p : peers) {
            out.printf(Locale.ROOT, "peer: %-22s %-5s %-8s %-20s %6.1f%%  %10s/s down  %10s/s up%n",
                    p.get("address").asText(), p.get("flags").asText(), p.get("source").asText(), p.get("client").asText(), 100 * p.get("progress").asDouble(), ByteSize.format(p.get("down_rate").asLong()),
                    ByteSize.format(p.get("up_rate").asLong()));
        }
    }

    @Command(name = "peers", mixinStandardHelpOptions = true,
            description = {"List a torrent's connected peers.",
                    "Flags: D downloading from it, d it chokes us, U uploading to it, u we choke it, O we dialled it, I it dialled us."})
    static final class Peers extends Remote {
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

    /** A command that posts one verb to one torrent and prints the torrent's line after it. */
    abstract static class TorrentVerb extends Remote {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        private final String verb;

        TorrentVerb(String verb) {
            this.verb = verb;
        }

        @Override
        void run(DaemonClient daemon) throws Exception {
            out().println(line(daemon.post(path(id) + "/" + verb, null)));
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause a torrent: close its connections, keep it in the daemon.")
    static final class Pause extends TorrentVerb {
        Pause() {
            super("pause");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused torrent (or check again one whose files were missing).")
    static final class Resume extends TorrentVerb {
        Resume() {
            super("resume");
        }
    }

    @Command(name = "prio", mixinStandardHelpOptions = true,
            description = {"Set the priority of some files of a torrent: skip (not downloaded, not created), low, normal or high.",
                    "Takes effect at once; 'show ID' lists the files with their indices and priorities."},
            footerHeading = "%nExamples:%n",
            footer = {"  kadtorrent prio movie skip 2 3", "  kadtorrent prio movie high '*.srt'",
                    "  kadtorrent prio movie normal 'extras/**'"})
    static final class Prio extends Remote {
        @Parameters(index = "0", paramLabel = "ID", description = "An info_hash, a unique prefix of one, or a unique name.")
        String id;

        @Parameters(index = "1", paramLabel = "PRIORITY", description = "skip, low, normal or high.")
        String priority;

        @Parameters(index = "2..*", arity = "1..*", paramLabel = "FILE",
                description = "A file's index (from show) or a glob as in get --only.")
        List<String> files = new ArrayList<>();

        @Override
        void run(DaemonClient daemon) throws Exception {
            try {
                FilePriority.parse(priority);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            List<Integer> indices = new ArrayList<>();
            List<String> globs = new ArrayList<>();
            for (String f : files) {
                if (f.chars().allMatch(Character::isDigit) && f.length() < 10) {
                    indices.add(Integer.parseInt(f));
                } else {
                    globs.add(f);
                }
            }
            JsonNode d = daemon.post(path(id) + "/files", Map.of("priority", priority, "files", indices, "globs", globs));
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (FilePriority p : FilePriority.values()) {
                counts.put(p.label(), 0);
            }
            for (JsonNode f : d.get("files")) {
                counts.merge(f.get("priority").asText(), 1, Integer::sum);
            }
            out().println(line(d.get("torrent")));
            out().println("files: " + String.join(", ", counts.entrySet().stream().filter(e -> e.getValue() > 0)
                    .map(e -> e.getValue() + " " + e.getKey()).toList()));
        }
    }

    @Command(name = "limit", mixinStandardHelpOptions = true,
            description = {"Show or set rate limits: the daemon's (shared by all torrents) or, with ID, one torrent's own.",
                    "RATE is bytes per second with K/M/G binary units (500K, 2MiB); 0 removes the limit. Headers count."},
            footerHeading = "%nExamples:%n",
            footer = {"  kadtorrent limit --up 1M --down 5M", "  kadtorrent limit movie --up 200K", "  kadtorrent limit"})
    static final class Limit extends Remote {
        @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A torrent (default: the whole daemon).")
        String id;

        @Option(names = "--up", paramLabel = "RATE", converter = RateConverter.class, description = "Upload limit.")
        Long up;

        @Option(names = "--down", paramLabel = "RATE", converter = RateConverter.class, description = "Download limit.")
        Long down;

        @Option(names = "--ratio", paramLabel = "R", description = "Daemon: a complete torrent stops seeding at this upload ratio (0: never).")
        Double ratio;

        @Option(names = "--seed-minutes", paramLabel = "M", description = "Daemon: ... after seeding this long (0: never).")
        Long seedMinutes;

        @Option(names = "--idle-minutes", paramLabel = "M", description = "Daemon: ... after nobody downloaded from it this long (0: never).")
        Long idleMinutes;

        @Option(names = "--downloads", paramLabel = "N", description = "Daemon: at most N torrents download at once, the others queue (0: no limit).")
        Integer downloads;

        @Option(names = "--seeds", paramLabel = "N", description = "Daemon: at most N torrents seed at once (0: no limit).")
        Integer seeds;

        @Override
        void run(DaemonClient daemon) throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            if (up != null) {
                body.put("upload_bytes_per_second", up);
            }
            if (down != null) {
                body.put("download_bytes_per_second", down);
            }
            boolean change = !body.isEmpty();
            boolean policyChange = ratio != null || seedMinutes != null || idleMinutes != null || downloads != null
                    || seeds != null;
            JsonNode r;
            if (id == null) {
                r = change ? daemon.post("/api/v1/session/limits", body) : daemon.get("/api/v1/session");
                out().println("daemon: " + limits(r));
                JsonNode p = daemon.get("/api/v1/session/policy");
                if (policyChange) {
                    Map<String, Object> next = new LinkedHashMap<>();
                    next.put("seed_ratio", ratio != null ? ratio : p.get("seed_ratio").asDouble());
                    next.put("seed_minutes", seedMinutes != null ? seedMinutes : p.get("seed_minutes").asLong());
                    next.put("idle_minutes", idleMinutes != null ? idleMinutes : p.get("idle_minutes").asLong());
                    next.put("active_downloads", downloads != null ? downloads : p.get("active_downloads").asInt());
                    next.put("active_seeds", seeds != null ? seeds : p.get("active_seeds").asInt());
                    p = daemon.post("/api/v1/session/policy", next);
                }
                out().println("seeding stops at: " + stopAt(p));
                out().println("at once: " + count(p.get("active_downloads").asInt()) + " downloading, "
                        + count(p.get("active_seeds").asInt()) + " seeding");
            } else if (policyChange) {
                throw new ParameterException(spec.commandLine(), "--ratio, --seed-minutes, --idle-minutes, --downloads"
                        + " and --seeds are the daemon's: give no ID");
            } else {
                r = change ? daemon.post(path(id) + "/limits", body) : daemon.get(path(id)).get("torrent");
                out().println(r.get("name").asText() + ": " + limits(r));
            }
        }

        private static String limits(JsonNode v) {
            return "up " + rate(v.get("upload_limit").asLong()) + ", down " + rate(v.get("download_limit").asLong());
        }

        private static String stopAt(JsonNode p) {
            List<String> when = new ArrayList<>();
            if (p.get("seed_ratio").asDouble() > 0) {
                when.add(String.format(Locale.ROOT, "ratio %.2f", p.get("seed_ratio").asDouble()));
            }
            if (p.get("seed_minutes").asLong() > 0) {
                when.add(p.get("seed_minutes").asLong() + " min seeded");
            }
            if (p.get("idle_minutes").asLong() > 0) {
                when.add(p.get("idle_minutes").asLong() + " min idle");
            }
            return when.isEmpty() ? "never" : String.join(", ", when);
        }

        private static String count(int n) {
            return n == 0 ? "any number" : String.valueOf(n);
        }

        private static String rate(long bytesPerSecond) {
            return bytesPerSecond == 0 ? "unlimited" : ByteSize.formatRate(bytesPerSecond);
        }
    }

    @Command(name = "stream", mixinStandardHelpOptions = true,
            description = {"Print the URL a player opens to watch or listen to a file while it downloads (it seeks too).",
                    "The URL carries a key that opens this torrent's files only; keep it private anyway."},
            footerHeading = "%nExamples:%n",
            footer = {"  mpv \"$(kadtorrent stream movie | sed -n 's/^url: //p')\"", "  kadtorrent stream show 'S01E02*'"})
    static final class Stream extends Remote {
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

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a torrent from the daemon; its data stays unless --delete-data.")
    static final class Rm extends Remote {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Option(names = "--delete-data", description = "Also delete the torrent's files (only the files it names).")
        boolean deleteData;

        @Override
        void run(DaemonClient daemon) throws Exception {
            JsonNode t = daemon.delete(path(id) + (deleteData ? "?delete_data=true" : ""));
            out().println("removed: " + t.get("name").asText() + (deleteData ? " (data deleted)" : " (data kept in "
                    + t.get("save_dir").asText() + ")"));
        }
    }

    @Command(name = "share", mixinStandardHelpOptions = true,
            description = "Share a file or folder: the daemon creates its torrent and seeds it from where it is; with --publish, publish it too.",
            footerHeading = "%nExamples:%n",
            footer = {"  kadtorrent share ~/photos", "  kadtorrent share ~/photos --publish 192.0.2.1:6880 --key me.key",
                    "  kadtorrent share ~/photos --dht --key me.key --bootstrap 192.0.2.1:6881"})
    static final class Share extends Remote {
        @Parameters(index = "0", paramLabel = "PATH")
        Path source;

        @Option(names = "--publish", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
                description = "Metadata server to publish the torrent on.")
        InetSocketAddress publish;

        @Option(names = "--key", paramLabel = "KEYFILE", description = "Private key from 'kadtorrent keygen' (with --publish or --dht).")
        Path key;

        @Option(names = "--dht", description = {"Also list it in your catalog in the DHT (BEP 46, as publish --dht):",
                "the daemon seeds the catalog, and the pointer is put once (needs --bootstrap)."})
        boolean dht;

        @Mixin
        SaltOption salt = new SaltOption();

        @Mixin
        DhtOptions dhtOptions = new DhtOptions(); // with --dht: how to join the DHT for the pointer put

        @Override
        void checkUsage() {
            if ((publish != null || dht) != (key != null)) {
                throw new ParameterException(spec.commandLine(), "--key goes with --publish or --dht, and they need it");
            }
            if (!dht && (salt.salt != null || !dhtOptions.bootstrap.isEmpty())) {
                throw new ParameterException(spec.commandLine(), "--salt and --bootstrap go with --dht");
            }
            if (dht && dhtOptions.bootstrap.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--dht needs --bootstrap HOST:PORT to join the DHT");
            }
            salt.bytes(spec); // a salt over BEP 44's limit
        }

        @Override
        void run(DaemonClient daemon) throws Exception {
            byte[] saltBytes = salt.bytes(spec);
            Path abs = source.toAbsolutePath().normalize();
            if (!Files.exists(abs)) {
                throw new ParameterException(spec.commandLine(), "nothing to share at " + source + ": no such file or folder");
            }
            SigningKey signer = key == null ? null : SigningKey.read(key); // a bad key fails before any hashing
            JsonNode added = daemon.post("/api/v1/torrents", Map.of("share", abs.toString()),
                    DaemonClient.SHARE_TIMEOUT_MILLIS);
            JsonNode t = added.get("torrent");
            String hash = t.get("info_hash").asText();
            out().println("info_hash: " + hash);
            out().println("magnet: " + MagnetLink.of(InfoHash.parse(hash), t.get("name").asText()).toUri());
            out().println((added.get("existed").asBoolean() ? "already shared: " : "sharing: ") + t.get("name").asText()
                    + " (" + ByteSize.format(t.get("size_bytes").asLong()) + ")");
            if (publish != null) {
                Path torrentFile = state.dir().resolve("torrents").resolve(hash + ".torrent");
                try (MetadataClient client = MetadataClient.connect(publish, Duration.ofSeconds(30))) {
                    MetadataResponse.Published p = client.publish(Files.readAllBytes(torrentFile), signer);
                    out().println((p.created() ? "published: " : "already published: ") + t.get("name").asText()
                            + " on " + Addresses.format(publish));
                    if (p.nameTakenByOtherKey()) {
                        spec.commandLine().getErr().println("note: other publishers also use the name "
                                + t.get("name").asText() + " on that server; people pick yours with --trust "
                                + key.toAbsolutePath() + ".pub");
                    }
                }
                Publications.remember(state.dir(), hash, Addresses.format(publish), key.toAbsolutePath());
            }
            if (dht) {
                ShareInDht.publish(daemon, state.dir(), TorrentFileReader.read(
                        state.dir().resolve("torrents").resolve(hash + ".torrent")), signer, saltBytes, dhtOptions, out());
            }
        }
    }

    @Command(name = "unshare", mixinStandardHelpOptions = true, description = "Stop sharing: remove the torrent from the daemon, keeping the files.")
    static final class Unshare extends Remote {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        void run(DaemonClient daemon) throws Exception {
            JsonNode t = daemon.delete(path(id));
            String hash = t.get("info_hash").asText();
            out().println("unshared: " + t.get("name").asText() + " (files kept in " + t.get("save_dir").asText() + ")");
            for (Publications.Publication p : Publications.of(state.dir(), hash)) {
                // share --publish put it there: take it back with the same key
                try (MetadataClient client = MetadataClient.connect(HostAndPort.fromString(p.server()),
                        Duration.ofSeconds(30))) {
                    client.unpublish(InfoHash.parse(hash), SigningKey.read(Path.of(p.key())));
                    out().println("unpublished: " + t.get("name").asText() + " from " + p.server());
                } catch (io.kadtorrent.metadata.client.MetadataClientException e) {
                    if (e.code().map(c -> c.code() != 404).orElse(true)) {
                        throw new DaemonClient.DaemonException("stopped sharing, but could not unpublish from "
                                + p.server() + ": " + e.getMessage(), 0);
                    }
                }
                Publications.forget(state.dir(), hash, p);
            }
        }
    }

    @Command(name = "ui", mixinStandardHelpOptions = true, description = "Print the web UI's login link (it carries the token: keep it private).")
    static final class Ui extends Remote {
        @Override
        void run(DaemonClient daemon) throws IOException {
            out().println("url: " + daemon.base() + "/login?token=" + daemon.token());
        }
    }
}
