package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The remote commands that change which torrents the daemon holds and how it fetches them: {@code add},
 * {@code pause}, {@code resume}, {@code prio} and {@code rm}. {@code add} prints {@code info_hash: <hex>} first
 * (DESIGN.md's CLI contract).
 */
final class TorrentCommands {

    private TorrentCommands() {
    }

    /** One torrent, as the human-readable commands print it. */
    private static String line(JsonNode t) throws IOException {
        return TorrentSummary.of(t).line();
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a torrent to the daemon: a .torrent file, a magnet link, an info_hash, or a name on a metadata server.",
            footerHeading = "%nExamples:%n",
            footer = {"  kadtorrent add photos.torrent -o ~/Downloads",
                    "  kadtorrent add 'magnet:?xt=urn:btih:...' --peer 192.0.2.10:6881",
                    "  kadtorrent add photos --server 192.0.2.1:6880"})
    static final class Add extends RemoteCommand {
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

    /** A command that posts one verb to one torrent and prints the torrent's line after it. */
    abstract static class TorrentVerb extends RemoteCommand {
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
    static final class Prio extends RemoteCommand {
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

    @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove a torrent from the daemon; its data stays unless --delete-data.")
    static final class Rm extends RemoteCommand {
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
}
