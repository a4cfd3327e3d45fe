package io.kadtorrent.metadata.signing;

import java.io.IOException;

/** A key file that is missing its header, has the wrong kind of key, or malformed hex. */
public final class KeyFileException extends IOException {

    public KeyFileException(String message) {
        super(message);
    }
}
