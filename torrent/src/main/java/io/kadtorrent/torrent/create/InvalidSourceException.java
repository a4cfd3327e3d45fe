package io.kadtorrent.torrent.create;

import java.io.IOException;

/** The file or folder to make a torrent of cannot be used: empty, unsafe names, links leaving it. */
public final class InvalidSourceException extends IOException {

    public InvalidSourceException(String message) {
        super(message);
    }
}
