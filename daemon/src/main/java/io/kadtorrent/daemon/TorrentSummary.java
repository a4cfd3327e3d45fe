package io.kadtorrent.daemon;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.kadtorrent.torrent.metainfo.Metainfo;

/**
 * What a restart needs to list a complete torrent without reading its .torrent: facts of its metainfo, which
 * never change for an info_hash, so a saved summary cannot go stale (it can only be missing: then the torrent is
 * started at once, as before). Kept for all torrents in one file ({@link StateDir#readSummaries}).
 *
 * @param sizeBytes  the torrent's total size
 * @param pieceCount its number of pieces
 * @param trackers   its metainfo names trackers or DHT nodes (a sleeping torrent announces to the DHT only, so
 *                   such a torrent is started at once after a restart)
 */
public record TorrentSummary(@JsonProperty("size_bytes") long sizeBytes,
                             @JsonProperty("piece_count") int pieceCount,
                             @JsonProperty("trackers") boolean trackers) {

    static TorrentSummary of(Metainfo m) {
        boolean trackers = m.announce().isPresent() || !m.announceList().isEmpty() || !m.nodes().isEmpty();
        return new TorrentSummary(m.totalBytes(), m.pieceCount(), trackers);
    }
}
