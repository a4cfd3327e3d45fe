package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.metainfo.FileEntry;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Lists the regular files of a torrent's source the way mktorrent does, so the same folder gives
 * the same info_hash: hidden files included, symbolic links followed, other special files skipped,
 * and files ordered by the byte-wise (strcmp) order of their '/'-joined relative paths. Unlike
 * mktorrent, a link that resolves outside the source folder is rejected rather than followed, and a
 * {@link SourceFilter} may leave entries out (hidden ones, excluded globs).
 */
public final class SourceTree {

    private static final Comparator<SourceFile> MKTORRENT_ORDER =
            (a, b) -> Arrays.compareUnsigned(a.joinedPath().getBytes(UTF_8), b.joinedPath().getBytes(UTF_8));

    private SourceTree() {
    }

    /**
     * The files of {@code source} (a file or a folder). For a single file the one entry's path is
     * {@code [name]}; for a folder paths are relative to it.
     */
    public static List<SourceFile> list(Path source, String name) throws IOException {
        return list(source, name, SourceFilter.everything());
    }

    /** The files of {@code source} that {@code filter} accepts (a single-file source is always kept). */
    public static List<SourceFile> list(Path source, String name, SourceFilter filter) throws IOException {
        if (!Files.exists(source)) {
            throw new NoSuchFileException(source.toString(), null, "no such file or folder");
        }
        if (Files.isRegularFile(source)) {
            return List.of(new SourceFile(List.of(name), source, Files.size(source)));
        }
        if (!Files.isDirectory(source)) {
            throw new InvalidSourceException(source + " is neither a regular file nor a folder");
        }
        Path root = source.toRealPath();
        List<SourceFile> files = new ArrayList<>();
        Files.walkFileTree(source, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                new Collector(source, root, filter, files));
        files.sort(MKTORRENT_ORDER);
        return files;
    }

    /** Walks the folder, following links, refusing any that leave {@code root}. */
    private static final class Collector extends SimpleFileVisitor<Path> {
        private final Path source;
        private final Path root;
        private final SourceFilter filter;
        private final List<SourceFile> files;

        Collector(Path source, Path root, SourceFilter filter, List<SourceFile> files) {
            this.source = source;
            this.root = root;
            this.filter = filter;
            this.files = files;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (!filter.accepts(relative(dir))) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            checkInsideRoot(dir);
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (!filter.accepts(relative(file))) {
                return FileVisitResult.CONTINUE;
            }
            if (attrs.isSymbolicLink()) {
                // the walk hands us a link's own attributes only when its target cannot be read
                throw new InvalidSourceException("broken symbolic link " + file);
            }
            if (!attrs.isRegularFile()) {
                return FileVisitResult.CONTINUE; // devices, fifos, sockets: mktorrent skips them too
            }
            checkInsideRoot(file);
            List<String> path = new ArrayList<>();
            for (Path component : source.relativize(file)) {
                String c = component.toString();
                String problem = FileEntry.componentProblem(c);
                if (problem != null) {
                    throw new InvalidSourceException("cannot put " + file + " in a torrent: name is " + problem);
                }
                path.add(c);
            }
            files.add(new SourceFile(path, file, attrs.size()));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof FileSystemLoopException) {
                throw new InvalidSourceException("symbolic link loop at " + file);
            }
            if (Files.isSymbolicLink(file) && e instanceof NoSuchFileException) {
                throw new InvalidSourceException("broken symbolic link " + file);
            }
            throw e;
        }

        private List<String> relative(Path p) {
            List<String> names = new ArrayList<>();
            for (Path component : source.relativize(p)) {
                if (!component.toString().isEmpty()) { // the source folder itself relativizes to ""
                    names.add(component.toString());
                }
            }
            return names;
        }

        private void checkInsideRoot(Path p) throws IOException {
            if (Files.isSymbolicLink(p) && !p.toRealPath().startsWith(root)) {
                throw new InvalidSourceException("symbolic link " + p + " points outside " + source);
            }
        }
    }
}
