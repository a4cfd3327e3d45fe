package io.kadtorrent.engine.swarm;

/**
 * A snapshot of one torrent's transfer.
 *
 * @param downloadedBytes block bytes received from peers (duplicates included)
 * @param uploadedBytes   block bytes sent to peers
 * @param verifiedBytes   bytes of verified pieces
 * @param totalBytes      size of the torrent
 * @param peers           connected peers
 * @param wantedBytes     size of the pieces the user wants (all of them unless files are skipped)
 * @param wantedVerifiedBytes bytes of verified pieces among those
 */
public record SwarmStats(long downloadedBytes, long uploadedBytes, long verifiedBytes, long totalBytes, int peers,
                         long wantedBytes, long wantedVerifiedBytes) {

    /** Stats of a torrent whose every file is wanted. */
    public SwarmStats(long downloadedBytes, long uploadedBytes, long verifiedBytes, long totalBytes, int peers) {
        this(downloadedBytes, uploadedBytes, verifiedBytes, totalBytes, peers, totalBytes, verifiedBytes);
    }

    /** True when every wanted piece is verified (for a torrent of known size). */
    public boolean wantedComplete() {
        return totalBytes > 0 && wantedVerifiedBytes == wantedBytes;
    }
}
