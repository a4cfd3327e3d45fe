package io.kadtorrent.engine.pick;

import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which files of a torrent a user wants, said before its file list may be known (a magnet link): only
 * the files matching {@code only} globs (none given: every file), minus those matching {@code skip}
 * globs, and, from a magnet's BEP 53 {@code so=}, only the listed file indices. A glob without '/'
 * matches a file's name in any folder ({@code *.mkv}); with '/', its whole path inside the torrent
 * ({@code extras/**}). Turned into one {@link FilePriority} per file once the torrent is known.
 */
public record FileSelection(List<String> only, List<String> skip, List<Integer> indices) {

    public static final FileSelection ALL = new FileSelection(List.of(), List.of(), List.of());

    public FileSelection {
        only = List.copyOf(only);
        skip = List.copyOf(skip);
        indices = List.copyOf(indices);
        for (String glob : only) {
            matcher(glob); // a bad pattern fails now, not when the metadata arrives
        }
        for (String glob : skip) {
            matcher(glob);
        }
    }

    public boolean isAll() {
        return only.isEmpty() && skip.isEmpty() && indices.isEmpty();
    }

    /**
     * One priority per file of {@code metainfo}: {@code normal} when selected, else {@code skip}.
     *
     * @throws IllegalArgumentException when the selection leaves no file to download, naming the reason
     */
    public List<FilePriority> priorities(Metainfo metainfo) {
        List<FileEntry> files = metainfo.files();
        if (isAll()) {
            return Collections.nCopies(files.size(), FilePriority.NORMAL);
        }
        List<PathMatcher> onlyMatchers = only.stream().map(FileSelection::matcher).toList();
        List<PathMatcher> skipMatchers = skip.stream().map(FileSelection::matcher).toList();
        List<FilePriority> out = new ArrayList<>(files.size());
        boolean any = false;
        for (int i = 0; i < files.size(); i++) {
            FileEntry f = files.get(i);
            boolean wanted = (onlyMatchers.isEmpty() || matchesAny(onlyMatchers, f))
                    && !matchesAny(skipMatchers, f)
                    && (indices.isEmpty() || indices.contains(i));
            any |= wanted && f.isData();
            out.add(wanted ? FilePriority.NORMAL : FilePriority.SKIP);
        }
        if (!any) {
            throw new IllegalArgumentException("no file of " + metainfo.name() + " is selected (" + this.describe()
                    + "); its files: " + String.join(", ", files.stream().filter(FileEntry::isData)
                    .limit(10).map(FileEntry::displayPath).toList()) + (files.size() > 10 ? ", ..." : ""));
        }
        return out;
    }

    private String describe() {
        List<String> parts = new ArrayList<>();
        only.forEach(g -> parts.add("--only " + g));
        skip.forEach(g -> parts.add("--skip " + g));
        if (!indices.isEmpty()) {
            parts.add("magnet so=" + indices);
        }
        return String.join(" ", parts);
    }

    private static boolean matchesAny(List<PathMatcher> matchers, FileEntry f) {
        if (matchers.isEmpty()) {
            return false;
        }
        Path whole = Path.of("", f.path().toArray(String[]::new));
        Path name = Path.of(f.path().get(f.path().size() - 1));
        for (PathMatcher m : matchers) {
            if (m.matches(whole) || m.matches(name)) {
                return true;
            }
        }
        return false;
    }

    private static PathMatcher matcher(String glob) {
        if (glob.isBlank()) {
            throw new IllegalArgumentException("an empty file pattern matches nothing");
        }
        try {
            return FileSystems.getDefault().getPathMatcher("glob:" + glob);
        } catch (IllegalArgumentException e) { // PatternSyntaxException among them
            throw new IllegalArgumentException("bad file pattern '" + glob + "': " + e.getMessage(), e);
        }
    }
}
