package io.kadtorrent.daemon;

import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Deletes a torrent's data: exactly the files the torrent names (nothing else a user put beside them), the
 * folders they leave empty, and the engine's resume data. Never a path outside the save folder.
 */
final class DataFiles {

    private static final Logger log = LoggerFactory.getLogger(DataFiles.class);

    private DataFiles() {
    }

    static void delete(Metainfo metainfo, Path saveDir) throws IOException {
        Path root = saveDir.toAbsolutePath().normalize();
        Path top = inside(root, root.resolve(metainfo.name()));
        List<Path> files = new ArrayList<>();
        if (metainfo.isSingleFile()) {
            files.add(top);
        } else {
            for (FileEntry f : metainfo.files()) {
                Path p = top;
                for (String component : f.path()) {
                    p = p.resolve(component);
                }
                files.add(inside(top, p));
            }
        }
        for (Path f : files) {
            Files.deleteIfExists(f); // a symlink goes, never what it points to
        }
        if (!metainfo.isSingleFile()) {
            List<Path> folders = new ArrayList<>();
            for (Path f : files) {
                for (Path d = f.getParent(); d != null && d.startsWith(top); d = d.getParent()) {
                    folders.add(d);
                }
            }
            folders.stream().distinct().sorted(Comparator.comparingInt(Path::getNameCount).reversed())
                    .forEach(DataFiles::deleteIfEmpty);
        }
    }

    private static Path inside(Path root, Path p) throws IOException {
        Path n = p.normalize();
        if (!n.startsWith(root) || n.equals(root)) {
            throw new IOException("refusing to delete " + p + ": outside " + root);
        }
        return n;
    }

    private static void deleteIfEmpty(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (DirectoryNotEmptyException keep) {
            // something of the user's is in it
        } catch (IOException e) {
            log.warn("cannot delete folder {}: {}", folder, e.getMessage());
        }
    }
}
