package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.signing.PublisherKey;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A torrent name is now served signed by a key other than the one remembered from the first
 * fetch of that name from that server: maybe a new publisher, maybe an impostor. Nothing was
 * downloaded; the user decides.
 */
public final class PublisherChangedException extends IOException {

    private final String server;
    private final String name;
    private final PublisherKey knownKey;
    private final PublisherKey servedKey;

    PublisherChangedException(String server, String name, PublisherKey knownKey, PublisherKey servedKey,
                              Path knownPublishers) {
        super("metadata server " + server + ": '" + name + "' is now signed by key " + servedKey.fingerprint()
                + ", but key " + knownKey.fingerprint() + " signed it when first fetched (remembered in "
                + knownPublishers + "); if you trust the new publisher, fetch again accepting the new key"
                + " (get --accept-new-key) or name the key to trust (--trust KEYFILE.pub)");
        this.server = server;
        this.name = name;
        this.knownKey = knownKey;
        this.servedKey = servedKey;
    }

    /** The server, {@code host:port}. */
    public String server() {
        return server;
    }

    public String name() {
        return name;
    }

    /** The key remembered for this name. */
    public PublisherKey knownKey() {
        return knownKey;
    }

    /** The key that signed what the server sends now. */
    public PublisherKey servedKey() {
        return servedKey;
    }
}
