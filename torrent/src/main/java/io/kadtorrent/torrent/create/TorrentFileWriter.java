package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Writes a .torrent so that a crash never leaves a half-written file: the bytes go to a temp
 * file in the target's folder, are forced to disk, and the temp file is atomically renamed.
 */
public final class TorrentFileWriter {

    private TorrentFileWriter() {
    }

    public static void write(Metainfo torrent, Path target) throws IOException {
        Path folder = target.toAbsolutePath().getParent();
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "output folder does not exist");
        }
        AtomicFile.write(target, torrent.toBytes());
    }
}
