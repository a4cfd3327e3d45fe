package io.kadtorrent.daemon;

import io.kadtorrent.engine.storage.TorrentPaths;
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
        List<Path> all = TorrentPaths.resolve(metainfo, root); // the names the store wrote, shortened alike
        Path top = inside(root, root.resolve(all.get(0).getName(root.getNameCount()))); // the torrent's own name
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            if (metainfo.files().get(i).isData()) {
                files.add(inside(root, all.get(i)));
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
