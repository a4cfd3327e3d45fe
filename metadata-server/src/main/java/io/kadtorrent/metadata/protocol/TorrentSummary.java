package io.kadtorrent.metadata.protocol;

import io.kadtorrent.torrent.metainfo.InfoHash;

/**
 * One line of a list or search answer.
 *
 * @param infoHash   the torrent's identity
 * @param name       {@code info.name}
 * @param totalBytes sum of the file lengths
 * @param fileCount  number of files (1 for a single-file torrent)
 */
public record TorrentSummary(InfoHash infoHash, String name, long totalBytes, int fileCount) {

    public TorrentSummary {
        if (totalBytes < 0 || fileCount < 0) {
            throw new IllegalArgumentException("sizes must not be negative");
        }
    }
}
