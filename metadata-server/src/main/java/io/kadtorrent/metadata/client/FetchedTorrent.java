package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Optional;

/**
 * A torrent fetched from a metadata server and verified: its info_hash or name is what was
 * asked for and {@code signature} is a valid signature of its {@code info} by {@link #publisher()}.
 *
 * @param trust            how the publisher was checked
 * @param replacedKey      with {@link Trust#NEW_KEY_ACCEPTED}, the key remembered before; else empty
 */
public record FetchedTorrent(Metainfo metainfo, TorrentSignature signature, Trust trust,
                             Optional<PublisherKey> replacedKey) {

    /** How the publisher's key was checked before the torrent was handed out. */
    public enum Trust {
        /** It is the key the caller asked to trust ({@code --trust}). */
        TRUSTED_KEY,
        /** It is the key remembered from an earlier fetch of this name from this server. */
        KNOWN_PUBLISHER,
        /** First fetch of this name from this server: the key is now remembered. */
        FIRST_USE,
        /** The caller accepted a key other than the remembered one; the new one is remembered. */
        NEW_KEY_ACCEPTED,
        /** Not checked against any key: fetched by info_hash (the hash pins the content) without a trusted key. */
        NOT_CHECKED
    }

    public FetchedTorrent(Metainfo metainfo, TorrentSignature signature, Trust trust) {
        this(metainfo, signature, trust, Optional.empty());
    }

    /** The key that signed it. */
    public PublisherKey publisher() {
        return signature.key();
    }

    FetchedTorrent withTrust(Trust newTrust, Optional<PublisherKey> replaced) {
        return new FetchedTorrent(metainfo, signature, newTrust, replaced);
    }
}
