package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.create.CreateOptions;
import io.kadtorrent.torrent.create.SourceFilter;
import io.kadtorrent.torrent.create.TorrentCreator;
import io.kadtorrent.torrent.create.TorrentFileWriter;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code kadtorrent create}: hashes a file or folder into a .torrent written atomically. */
@Command(name = "create",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent create ~/photos -o photos.torrent --node 127.0.0.1:6881",
                "  kadtorrent create movie.mkv -o movie.torrent --piece-size 1M --comment \"holiday\"",
                "  kadtorrent create album -o album.torrent --tracker udp://tracker.example:6969 --tracker https://backup.example/announce",
                "  kadtorrent create ~/project -o project.torrent --exclude '*.tmp' --exclude build"},
        mixinStandardHelpOptions = true,
        description = {"Create a .torrent (BEP 3) of a file or folder.",
                "From a folder, every regular file goes in (symbolic links are followed when they stay inside it), "
                        + "except hidden files and folders (a name starting with '.', such as .git) unless "
                        + "--include-hidden, and anything an --exclude glob matches. An existing FILE.torrent is "
                        + "kept unless --force."})
final class CreateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH", description = "File or folder to share.")
    Path source;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "FILE.torrent",
            description = "Where to write the .torrent.")
    Path output;

    @Option(names = "--piece-size", paramLabel = "BYTES",
            description = "Piece length, a power of two (16384..268435456; suffix K or M allowed). Default: automatic.")
    String pieceSize;

    @Option(names = "--node", paramLabel = "HOST:PORT", description = "DHT bootstrap node stored in the torrent (BEP 5).")
    List<String> nodes = new ArrayList<>();

    @Option(names = "--tracker", paramLabel = "URL[,URL...]",
            description = "Tracker (http://, https:// or udp://) stored in the torrent. Repeatable: each --tracker is one "
                    + "tier, tried in order; URLs joined by commas share a tier (BEP 12, as mktorrent's -a).")
    List<String> trackers = new ArrayList<>();

    @Option(names = "--private", description = "Mark the torrent private (BEP 27): clients find its peers only through "
            + "its trackers, never the DHT or peer exchange. Part of the info_hash.")
    boolean privateTorrent;

    @Option(names = "--name", paramLabel = "N", description = "Torrent name. Default: the file or folder name.")
    String name;

    @Option(names = "--comment", paramLabel = "C", description = "Free-text comment.")
    String comment;

    @Option(names = "--threads", paramLabel = "N", description = "Hashing threads. Default: number of cores.")
    Integer threads;

    @Option(names = "--include-hidden", description = "Include hidden files and folders (.git, .DS_Store, ...).")
    boolean includeHidden;

    @Option(names = "--exclude", paramLabel = "GLOB",
            description = "Leave out files and folders whose name matches GLOB (e.g. '*.tmp'), or whose path below "
                    + "the folder does when GLOB has a '/' (e.g. 'docs/drafts/**'). Repeatable.")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--force", description = "Overwrite FILE.torrent if it exists.")
    boolean force;

    private static final PlainArgs PLAIN = PlainArgs.of("create").option("--output", "-o").option("--piece-size")
            .repeatable("--node").repeatable("--tracker").option("--name").option("--comment").option("--threads").flag("--include-hidden").flag("--private")
            .repeatable("--exclude").flag("--force").positionals(1);

    /**
     * {@code create PATH -o FILE [options]} without picocli, or empty when the arguments are not plain or a value
     * is bad: picocli then parses them again and says what is wrong, exactly as it always has.
     */
    static Optional<CreateCommand> plain(String[] args) {
        Optional<PlainArgs.Parsed> parsed = PLAIN.parse(args);
        if (parsed.isEmpty() || parsed.get().positionals().size() != 1 || !parsed.get().has("--output")) {
            return Optional.empty();
        }
        PlainArgs.Parsed a = parsed.get();
        String threads = a.value("--threads");
        // picocli reads an Integer with Integer.valueOf: plain digits read the same here
        if (threads != null && !isSmallNumber(threads)) {
            return Optional.empty();
        }
        Optional<Path> source = PlainArgs.Parsed.path(a.positionals().get(0));
        Optional<Path> output = PlainArgs.Parsed.path(a.value("--output"));
        if (source.isEmpty() || output.isEmpty()) {
            return Optional.empty();
        }
        CreateCommand c = new CreateCommand();
        c.source = source.get();
        c.output = output.get();
        c.pieceSize = a.value("--piece-size");
        c.nodes = new ArrayList<>(a.values("--node"));
        c.trackers = new ArrayList<>(a.values("--tracker"));
        c.name = a.value("--name");
        c.comment = a.value("--comment");
        c.threads = threads == null ? null : Integer.valueOf(threads);
        c.includeHidden = a.has("--include-hidden");
        c.privateTorrent = a.has("--private");
        c.excludes = new ArrayList<>(a.values("--exclude"));
        c.force = a.has("--force");
        try {
            c.options();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    /** One to nine ASCII digits (a loop: a lambda would cost a cold start its bootstrap). */
    private static boolean isSmallNumber(String text) {
        if (text.length() > 9) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    @Override
    public Integer call() throws Exception {
        return call(spec.commandLine().getOut());
    }

    /** Runs the command, printing to {@code out}: picocli's stream, or {@link PlainCommands}' without picocli. */
    int call(PrintWriter out) throws Exception {
        CreateOptions options;
        try {
            options = options();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        checkOutput();
        Metainfo torrent;
        try (HashingProgressBar bar = HashingProgressBar.forStderr()) {
            torrent = TorrentCreator.create(source, options, bar);
        }
        try {
            TorrentFileWriter.write(torrent, output);
        } catch (IOException e) {
            throw CliErrors.aboutPath("cannot write", output, e); // not the temp file's name
        }
        out.println("info_hash: " + torrent.infoHash().hex());
        out.println("magnet: " + MagnetLink.of(torrent).toUri());
        out.println("name: " + torrent.name());
        int files = torrent.files().size();
        out.println("size: " + torrent.totalBytes() + " bytes in " + files + (files == 1 ? " file" : " files"));
        out.println("pieces: " + torrent.pieceCount() + " x " + torrent.pieceLengthBytes() + " bytes");
        out.println("written: " + output);
        out.flush();
        return 0;
    }

    /** Refuses, before any hashing, to replace an existing file without --force or to write over a folder. */
    private void checkOutput() throws IOException {
        if (Files.isDirectory(output)) {
            throw new IOException(output + " is a folder: -o names the .torrent file to write");
        }
        if (Files.exists(output) && !force) {
            throw new FileAlreadyExistsException(output.toString(), null, "already exists (--force overwrites it)");
        }
    }

    /** Flags to options; a bad value throws {@link IllegalArgumentException}, a usage error (exit 2) in {@link #call}. */
    private CreateOptions options() {
        List<HostAndPort> hosts = new ArrayList<>();
        for (String node : nodes) {
            hosts.add(node(node));
        }
        List<List<String>> tiers = new ArrayList<>();
        for (String tier : trackers) {
            List<String> urls = new ArrayList<>();
            for (String url : tier.split(",")) {
                if (!url.isBlank()) {
                    urls.add(url.strip());
                }
            }
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("--tracker needs a URL, got '" + tier + "'");
            }
            tiers.add(urls);
        }
        CreateOptions options = CreateOptions.defaults()
                .withName(name)
                .withComment(comment)
                .withNodes(hosts)
                .withTrackers(tiers)
                .withPrivate(privateTorrent);
        if (pieceSize != null) {
            options = options.withPieceLengthBytes(ByteSize.parseInt(pieceSize));
        }
        options = options.withFilter(new SourceFilter(includeHidden, excludes));
        if (threads != null) {
            options = options.withThreads(threads);
        }
        return options;
    }

    private static HostAndPort node(String text) {
        try {
            HostAndPort node = HostAndPort.fromString(text);
            if (!node.hasPort() || node.getPort() == 0) {
                throw new IllegalArgumentException("missing port");
            }
            return node;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--node must be HOST:PORT, got " + text, e);
        }
    }
}
