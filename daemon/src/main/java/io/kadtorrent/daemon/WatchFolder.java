package io.kadtorrent.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * A folder the daemon adds torrents from: each {@code .torrent} or {@code .magnet} file (a text file holding
 * a magnet link or an info_hash) dropped there is added to the default download folder, then renamed with
 * {@code .added} (or {@code .invalid}, with the reason in the log) so it is not taken twice.
 */
final class WatchFolder {

    private static final Logger log = LoggerFactory.getLogger(WatchFolder.class);
    static final long SCAN_MILLIS = 1000;
    private static final long MAX_FILE_BYTES = 16L << 20;
    private static final int MAX_FILES_PER_SCAN = 1000;

    private final Path dir;
    private final Daemon daemon;

    WatchFolder(Path dir, Daemon daemon) {
        this.dir = dir;
        this.daemon = daemon;
    }

    void scan() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        int taken = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{torrent,magnet}")) {
            for (Path f : files) {
                if (taken++ >= MAX_FILES_PER_SCAN) {
                    break; // the rest next time
                }
                take(f);
            }
        } catch (IOException e) {
            log.warn("cannot read the watch folder {}: {}", dir, e.getMessage());
        }
    }

    private void take(Path file) {
        String outcome = ".added";
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("not a regular file of at most " + MAX_FILE_BYTES + " bytes");
            }
            boolean isTorrent = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".torrent");
            Daemon.AddRequest request;
            if (isTorrent) {
                request = new Daemon.AddRequest(Files.readAllBytes(file), null, null, null, null, null, null, false, null);
            } else {
                String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                boolean magnet = text.startsWith("magnet:");
                request = new Daemon.AddRequest(null, magnet ? text : null, magnet ? null : text, null, null, null, null,
                        false, null);
            }
            var result = daemon.add(request);
            log.info("watch folder: {} -> {}", file.getFileName(), result.torrent().name());
        } catch (IOException | RuntimeException e) {
            outcome = ".invalid";
            log.warn("watch folder: cannot add {}: {}", file, e.getMessage());
        }
        try {
            Files.move(file, file.resolveSibling(file.getFileName() + outcome), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.warn("watch folder: cannot rename {}: {}", file, e.getMessage());
        }
    }
}
