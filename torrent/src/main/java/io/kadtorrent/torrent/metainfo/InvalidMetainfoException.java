package io.kadtorrent.torrent.metainfo;

/** A .torrent that is not valid BEP 3 metainfo; the message names the offending field. */
public final class InvalidMetainfoException extends Exception {

    public InvalidMetainfoException(String message) {
        super(message);
    }

    public InvalidMetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
