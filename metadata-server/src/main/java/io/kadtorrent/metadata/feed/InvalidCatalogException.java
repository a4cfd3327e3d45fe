package io.kadtorrent.metadata.feed;

/** A DHT catalog (or the item pointing at it) that is malformed, oversized or not validly signed. */
public final class InvalidCatalogException extends Exception {

    public InvalidCatalogException(String message) {
        super(message);
    }

    public InvalidCatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}
