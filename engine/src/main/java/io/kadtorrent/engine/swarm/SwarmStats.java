package io.kadtorrent.engine.swarm;

/**
 * A snapshot of one torrent's transfer.
 *
 * @param downloadedBytes block bytes received from peers (duplicates included)
 * @param uploadedBytes   block bytes sent to peers
 * @param verifiedBytes   bytes of verified pieces
 * @param totalBytes      size of the torrent
 * @param peers           connected peers
 */
public record SwarmStats(long downloadedBytes, long uploadedBytes, long verifiedBytes, long totalBytes, int peers) {
}
