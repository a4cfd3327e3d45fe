package io.kadtorrent.client.cli;

import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the {@code FILE.torrent} argument of a command, with errors that name that argument. */
final class TorrentFileReader {

    private TorrentFileReader() {
    }

    static Metainfo read(Path given) throws IOException, InvalidMetainfoException {
        if (Files.isDirectory(given)) {
            throw new IOException(given + " is a folder, not a .torrent file");
        }
        try {
            return MetainfoParser.read(given);
        } catch (NoSuchFileException e) {
            throw e; // "no such file: PATH" already names it
        } catch (IOException e) {
            throw CliErrors.aboutPath("cannot read", given, e);
        }
    }
}
