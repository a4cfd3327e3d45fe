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
import java.util.concurrent.Callable;

/** {@code kadtorrent create}: hashes a file or folder into a .torrent written atomically. */
@Command(name = "create",
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent create ~/photos -o photos.torrent --node 127.0.0.1:6881",
                "  kadtorrent create movie.mkv -o movie.torrent --piece-size 1M --comment \"holiday\"",
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

    @Override
    public Integer call() throws Exception {
        CreateOptions options = options();
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
        PrintWriter out = spec.commandLine().getOut();
        out.println("info_hash: " + torrent.infoHash().hex());
        out.println("magnet: " + MagnetLink.of(torrent.infoHash(), torrent.name()).toUri());
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

    /** Flags to options; bad values are usage errors (exit 2), not failures. */
    private CreateOptions options() {
        CreateOptions options = CreateOptions.defaults()
                .withName(name)
                .withComment(comment)
                .withNodes(nodes.stream().map(this::node).toList());
        try {
            if (pieceSize != null) {
                options = options.withPieceLengthBytes(ByteSize.parseInt(pieceSize));
            }
            options = options.withFilter(new SourceFilter(includeHidden, excludes));
            if (threads != null) {
                options = options.withThreads(threads);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return options;
    }

    private HostAndPort node(String text) {
        try {
            HostAndPort node = HostAndPort.fromString(text);
            if (!node.hasPort() || node.getPort() == 0) {
                throw new IllegalArgumentException("missing port");
            }
            return node;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--node must be HOST:PORT, got " + text);
        }
    }
}
