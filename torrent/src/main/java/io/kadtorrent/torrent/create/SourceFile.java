package io.kadtorrent.torrent.create;

import java.nio.file.Path;
import java.util.List;

/**
 * One regular file that goes into a new torrent.
 *
 * @param path        its path inside the torrent (below {@code info.name} for a folder)
 * @param file        where to read it
 * @param lengthBytes its size when it was listed
 */
public record SourceFile(List<String> path, Path file, long lengthBytes) {

    public SourceFile {
        path = List.copyOf(path);
    }

    /** The path joined with '/', the form mktorrent sorts by. */
    public String joinedPath() {
        return String.join("/", path);
    }
}
