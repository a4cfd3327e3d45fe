package io.kadtorrent.metadata.server;

import io.kadtorrent.metadata.signing.PublisherKey;

import java.util.Set;

/**
 * Who may publish: anyone with a valid signature ({@code --open}, for demos) or only the
 * publishers whose keys were given with {@code --allow-key}.
 *
 * @param open        accept any correctly signed publish
 * @param allowedKeys the accepted keys when not open
 */
public record PublishPolicy(boolean open, Set<PublisherKey> allowedKeys) {

    public PublishPolicy {
        allowedKeys = Set.copyOf(allowedKeys);
    }

    /** Accepts any correctly signed torrent. */
    public static PublishPolicy openToAll() {
        return new PublishPolicy(true, Set.of());
    }

    /** Accepts torrents signed by one of {@code keys}; with no keys nobody may publish. */
    public static PublishPolicy allowing(Set<PublisherKey> keys) {
        return new PublishPolicy(false, keys);
    }

    public boolean allows(PublisherKey key) {
        return open || allowedKeys.contains(key);
    }
}
