package io.kadtorrent.torrent.metainfo;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One file of a torrent: its path below the torrent's folder, as safe components, and its size.
 * For a single-file torrent the path is just the torrent's name.
 */
public record FileEntry(List<String> path, long lengthBytes) {

    // Drive letters ("C:") and Windows device-style prefixes must never reach a file system.
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*", Pattern.DOTALL);

    public FileEntry {
        path = List.copyOf(path);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("file path must have at least one component");
        }
        for (String c : path) {
            String problem = componentProblem(c);
            if (problem != null) {
                throw new IllegalArgumentException("unsafe path component " + quote(c) + ": " + problem);
            }
        }
        if (lengthBytes < 0) {
            throw new IllegalArgumentException("file length must be >= 0");
        }
    }

    /** The path joined with '/'. */
    public String displayPath() {
        return String.join("/", path);
    }

    /**
     * Why {@code component} is not safe to use as one file or folder name, or null if it is: no
     * {@code ..}, {@code .}, empty, separators, NUL or drive letters (DESIGN: bad input).
     */
    public static String componentProblem(String component) {
        if (component.isEmpty()) {
            return "empty";
        }
        if (component.equals(".") || component.equals("..")) {
            return "relative reference";
        }
        if (component.indexOf('/') >= 0 || component.indexOf('\\') >= 0) {
            return "contains a path separator";
        }
        if (component.indexOf('\0') >= 0) {
            return "contains NUL";
        }
        if (DRIVE.matcher(component).matches()) {
            return "looks like a drive letter";
        }
        return null;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\0", "\\0") + "\"";
    }
}
