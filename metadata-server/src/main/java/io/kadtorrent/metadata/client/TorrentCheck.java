package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.util.Optional;

/** Verifies a served torrent before anyone downloads with it: never trust the server blindly. */
final class TorrentCheck {

    private TorrentCheck() {
    }

    static FetchedTorrent verify(MetadataResponse.Torrent served, String asked, boolean byHash,
                                 Optional<PublisherKey> trusted) throws MetadataClientException {
        Metainfo m;
        try {
            m = MetainfoParser.parse(served.torrent());
        } catch (InvalidMetainfoException e) {
            throw new MetadataClientException("metadata server sent an invalid .torrent: " + e.getMessage());
        }
        if (byHash && !m.infoHash().equals(InfoHash.parse(asked))) {
            throw new MetadataClientException("metadata server sent info_hash " + m.infoHash().hex()
                    + " when asked for " + InfoHash.parse(asked).hex());
        }
        if (!byHash && !m.name().equals(asked)) {
            throw new MetadataClientException("metadata server sent a torrent named '" + m.name()
                    + "' when asked for '" + asked + "'");
        }
        if (!served.signature().verifies(m)) {
            throw new MetadataClientException("torrent " + m.infoHash().hex()
                    + " has an invalid publisher signature");
        }
        PublisherKey signer = served.signature().key();
        if (trusted.isPresent() && !trusted.get().equals(signer)) {
            throw new MetadataClientException("untrusted torrent " + m.infoHash().hex() + ": signed by key "
                    + signer.fingerprint() + ", not by the trusted key " + trusted.get().fingerprint());
        }
        return new FetchedTorrent(m, served.signature(),
                trusted.isPresent() ? FetchedTorrent.Trust.TRUSTED_KEY : FetchedTorrent.Trust.NOT_CHECKED);
    }
}
