package io.kadtorrent.client.cli;

import io.kadtorrent.engine.storage.TorrentPaths;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before anything is opened or created, that the files a seed is to serve are under its
 * {@code --data} folder with the sizes the torrent gives; says which are not.
 */
final class SeedData {

    /** Enough lines to see the pattern (a wrong folder, one file gone) without flooding the terminal. */
    static final int MAX_LINES = 10;

    private SeedData() {
    }

    /** One line per file that is missing or of the wrong size; empty when all are there. */
    static List<String> problems(Metainfo torrent, Path data) throws IOException {
        List<Path> paths = TorrentPaths.resolve(torrent, data);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            FileEntry f = torrent.files().get(i);
            Path p = paths.get(i);
            if (!Files.exists(p)) {
                if (f.lengthBytes() > 0) { // an empty file is simply created, as git leaves them out
                    problems.add("missing: " + p + " (" + ByteSize.format(f.lengthBytes()) + ")");
                }
            } else if (!Files.isRegularFile(p)) {
                problems.add("not a file: " + p);
            } else if (Files.size(p) != f.lengthBytes()) {
                problems.add("wrong size: " + p + " is " + ByteSize.format(Files.size(p)) + ", the torrent says "
                        + ByteSize.format(f.lengthBytes()));
            }
        }
        return problems;
    }

    /** Fails, listing what is wrong on {@code err}, unless every file of {@code torrent} is under {@code data}. */
    static void check(Metainfo torrent, Path data, PrintWriter err) throws IOException {
        List<String> problems = problems(torrent, data);
        if (problems.isEmpty()) {
            return;
        }
        problems.stream().limit(MAX_LINES).forEach(err::println);
        if (problems.size() > MAX_LINES) {
            err.println("... and " + (problems.size() - MAX_LINES) + " more");
        }
        err.flush();
        StringBuilder message = new StringBuilder("the data of ").append(torrent.name()).append(" is not under ")
                .append(data).append(": ").append(problems.size()).append(" of ").append(torrent.files().size())
                .append(torrent.files().size() == 1 ? " file" : " files").append(" missing or of the wrong size");
        Path parent = data.toAbsolutePath().getParent();
        if (data.getFileName() != null && data.getFileName().toString().equals(torrent.name()) && parent != null) {
            message.append(" (--data names the folder that holds ").append(torrent.name())
                    .append(": try --data ").append(parent).append(')');
        } else {
            message.append(" (expected ").append(data.resolve(torrent.name())).append(')');
        }
        throw new IOException(message.toString());
    }
}
