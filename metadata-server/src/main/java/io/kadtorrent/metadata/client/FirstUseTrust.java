package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.signing.PublisherKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;

/**
 * Checks a fetch by name against {@link KnownPublishers} (trust on first use): the first fetch
 * of a name from a server remembers its key; later fetches ask the server for that key's
 * torrent of the name and refuse one signed by another key unless told to accept it.
 */
final class FirstUseTrust {

    private static final Logger log = LoggerFactory.getLogger(FirstUseTrust.class);

    private final KnownPublishers known;

    FirstUseTrust(KnownPublishers known) {
        this.known = known;
    }

    FetchedTorrent fetch(MetadataClient client, HostAndPort server, String name, boolean acceptNewKey)
            throws IOException {
        Optional<PublisherKey> remembered;
        boolean canRemember = true;
        try {
            remembered = known.lookup(server, name);
        } catch (IOException e) {
            // An unreadable file must not stop downloads, nor be overwritten by what we know now.
            log.warn("cannot read known publishers {}: {}; the publisher key is not checked", known.file(), e.toString());
            remembered = Optional.empty();
            canRemember = false;
        }
        if (remembered.isEmpty()) {
            FetchedTorrent f = client.fetch(name, Optional.empty(), Optional.empty());
            if (canRemember) {
                remember(server, name, f.publisher());
            }
            return f.withTrust(FetchedTorrent.Trust.FIRST_USE, Optional.empty());
        }
        PublisherKey knownKey = remembered.get();
        FetchedTorrent f = acceptNewKey ? client.fetch(name, Optional.empty(), Optional.empty())
                : client.fetch(name, Optional.of(knownKey), Optional.empty()); // another key's when the known one has none
        if (f.publisher().equals(knownKey)) {
            return f.withTrust(FetchedTorrent.Trust.KNOWN_PUBLISHER, Optional.empty());
        }
        if (!acceptNewKey) {
            throw new PublisherChangedException(KnownPublishers.serverId(server), name, knownKey, f.publisher(), known.file());
        }
        remember(server, name, f.publisher());
        return f.withTrust(FetchedTorrent.Trust.NEW_KEY_ACCEPTED, Optional.of(knownKey));
    }

    private void remember(HostAndPort server, String name, PublisherKey key) {
        try {
            known.remember(server, name, key);
        } catch (IOException e) {
            log.warn("cannot remember publisher key {} in {}: {}", key.fingerprint(), known.file(), e.toString());
        }
    }
}
