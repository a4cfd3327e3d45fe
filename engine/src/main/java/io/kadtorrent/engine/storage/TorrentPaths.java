package io.kadtorrent.engine.storage;

import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps each file of a torrent to a path inside the output folder and refuses any that would land
 * outside it. The parser already rejects unsafe components; this checks again at the file system,
 * including symbolic links that already exist on the way (DESIGN: no path escapes the folder).
 */
public final class TorrentPaths {

    private TorrentPaths() {
    }

    /**
     * The paths of the torrent's files below {@code parentDir}: {@code parentDir/name} for a single
     * file, {@code parentDir/name/a/b} for a multi-file torrent. Touches nothing on disk.
     *
     * @throws IOException naming the file when a path escapes the folder
     */
    public static List<Path> resolve(Metainfo metainfo, Path parentDir) throws IOException {
        Path root = parentDir.toAbsolutePath().normalize();
        Path realRoot = Files.exists(root) ? root.toRealPath() : root;
        List<Path> out = new ArrayList<>();
        for (FileEntry f : metainfo.files()) {
            Path p = root.resolve(checked(metainfo.name()));
            if (!metainfo.isSingleFile()) {
                for (String c : f.path()) {
                    p = p.resolve(checked(c));
                }
            }
            p = p.normalize();
            if (!p.startsWith(root) || p.equals(root)) {
                throw new IOException("refusing " + f.displayPath() + ": it would be written outside " + root);
            }
            checkExistingPartsStayInside(p, root, realRoot, f);
            out.add(p);
        }
        return out;
    }

    private static String checked(String component) throws IOException {
        String problem = FileEntry.componentProblem(component);
        if (problem != null) {
            throw new IOException("unsafe path component \"" + component + "\": " + problem);
        }
        return component;
    }

    /** A symlink already inside the folder could point outside it: resolve what exists and check. */
    private static void checkExistingPartsStayInside(Path p, Path root, Path realRoot, FileEntry f)
            throws IOException {
        for (Path q = p; q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
            if (Files.exists(q, LinkOption.NOFOLLOW_LINKS)) {
                Path real = q.toRealPath();
                if (!real.startsWith(realRoot)) {
                    throw new IOException("refusing " + f.displayPath() + ": " + q + " leads outside " + root);
                }
                return; // the deepest existing part resolves inside; everything below is created by us
            }
        }
    }
}
