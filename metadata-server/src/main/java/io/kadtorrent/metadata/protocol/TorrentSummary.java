package io.kadtorrent.metadata.protocol;

import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Optional;

/**
 * One line of a list or search answer.
 *
 * @param infoHash   the torrent's identity
 * @param name       {@code info.name}
 * @param totalBytes sum of the file lengths
 * @param fileCount  number of files (1 for a single-file torrent)
 * @param publisher  the key that published it; empty only from servers older than the {@code key} field
 */
public record TorrentSummary(InfoHash infoHash, String name, long totalBytes, int fileCount,
                             Optional<PublisherKey> publisher) {

    public TorrentSummary {
        if (totalBytes < 0 || fileCount < 0) {
            throw new IllegalArgumentException("sizes must not be negative");
        }
    }

    public TorrentSummary(InfoHash infoHash, String name, long totalBytes, int fileCount, PublisherKey publisher) {
        this(infoHash, name, totalBytes, fileCount, Optional.of(publisher));
    }
}
