package io.kadtorrent.torrent.metainfo;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One file of a torrent: its path below the torrent's folder, as safe components, its size, and its BEP 47
 * attributes ({@code attr}: {@code p} padding, {@code l} symlink, {@code x} executable, {@code h} hidden; empty
 * for most). For a single-file torrent the path is just the torrent's name.
 */
public record FileEntry(List<String> path, long lengthBytes, String attr) {

    public FileEntry(List<String> path, long lengthBytes) {
        this(path, lengthBytes, "");
    }

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
        attr = attr == null ? "" : attr;
    }

    /**
     * A BEP 47 padding file: zeros that align the next file to a piece boundary. It is part of the pieces
     * but never written to disk and never counted as the user's data.
     */
    public boolean isPadding() {
        return attr.indexOf('p') >= 0;
    }

    /** A BEP 47 symlink entry: no data of its own (we do not create the link). */
    public boolean isSymlink() {
        return attr.indexOf('l') >= 0;
    }

    /** True for the files a user gets: not padding, not a symlink entry. */
    public boolean isData() {
        return !isPadding() && !isSymlink();
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
