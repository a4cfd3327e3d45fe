package io.kadtorrent.torrent.create;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Which entries of a source folder go into a torrent. Hidden entries (a name starting with '.', such as
 * {@code .git}) only when asked; never one that an exclude glob matches. A glob without '/' is matched
 * against every file and folder name ({@code *.tmp}, {@code node_modules}); a glob with '/' against the
 * '/'-joined path relative to the source folder ({@code docs/drafts/**}). A folder left out is left out
 * whole. Immutable.
 */
public final class SourceFilter {

    private static final SourceFilter EVERYTHING = new SourceFilter(true, List.of());

    private final boolean includeHidden;
    private final List<String> excludeGlobs;
    private final List<PathMatcher> nameMatchers = new ArrayList<>();
    private final List<PathMatcher> pathMatchers = new ArrayList<>();

    /** Throws {@link IllegalArgumentException} naming the first glob that does not compile. */
    public SourceFilter(boolean includeHidden, List<String> excludeGlobs) {
        this.includeHidden = includeHidden;
        this.excludeGlobs = List.copyOf(excludeGlobs);
        for (String glob : this.excludeGlobs) {
            try {
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
                (glob.contains("/") ? pathMatchers : nameMatchers).add(m);
            } catch (IllegalArgumentException e) { // PatternSyntaxException among others
                throw new IllegalArgumentException("not a glob: " + glob + " (" + e.getMessage() + ")", e);
            }
        }
    }

    /** Every regular file, hidden or not: what mktorrent puts in a torrent. */
    public static SourceFilter everything() {
        return EVERYTHING;
    }

    public boolean includeHidden() {
        return includeHidden;
    }

    public List<String> excludeGlobs() {
        return excludeGlobs;
    }

    /** True when nothing is ever left out. */
    public boolean keepsEverything() {
        return includeHidden && excludeGlobs.isEmpty();
    }

    /** Whether the file or folder at {@code relativePath} (components below the source folder) goes in. */
    public boolean accepts(List<String> relativePath) {
        for (String name : relativePath) {
            if (!includeHidden && name.startsWith(".")) {
                return false;
            }
            Path p = Path.of(name);
            for (PathMatcher m : nameMatchers) {
                if (m.matches(p)) {
                    return false;
                }
            }
        }
        if (!pathMatchers.isEmpty() && !relativePath.isEmpty()) {
            Path joined = Path.of(String.join("/", relativePath));
            for (PathMatcher m : pathMatchers) {
                if (m.matches(joined)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "SourceFilter[includeHidden=" + includeHidden + ", exclude=" + excludeGlobs + "]";
    }
}
