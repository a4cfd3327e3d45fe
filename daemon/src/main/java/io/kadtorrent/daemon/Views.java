package io.kadtorrent.daemon;

import java.util.List;

/**
 * What the control API shows, as JSON (field names in snake_case, see {@code docs/api.md}). These are
 * snapshots: built on the daemon's side, never shared with the engine.
 */
public final class Views {

    private Views() {
    }

    /**
     * One torrent in a list.
     *
     * @param progress   verified bytes / size of what is wanted (all, unless files are skipped), 0..1
     * @param state      {@code metadata}, {@code checking}, {@code downloading}, {@code seeding},
     *                   {@code paused}, {@code missing files} or {@code error}
     * @param etaSeconds seconds to completion at the current rate; null when unknown or done
     * @param wantedBytes size of the pieces of the wanted files (the size, unless files are skipped)
     * @param uploadLimit   this torrent's own upload limit, bytes per second (0: none)
     * @param downloadLimit this torrent's own download limit, bytes per second (0: none)
     */
    public record TorrentView(String infoHash, String name, long sizeBytes, double progress, String state, int peers,
                              long downRate, long upRate, long downloadedBytes, long uploadedBytes,
                              long verifiedBytes, double ratio, Long etaSeconds, String saveDir, String origin,
                              long addedAt, String error, long wantedBytes, long uploadLimit, long downloadLimit,
                              boolean sequential) {
    }

    /**
     * One file of a torrent; {@code progress} counts whole verified pieces, 0..1; {@code priority} is
     * {@code skip}, {@code low}, {@code normal} or {@code high}.
     */
    public record FileView(int index, String path, long sizeBytes, double progress, String priority) {
    }

    /**
     * One connected peer.
     *
     * @param flags  D we download from it, d it chokes us, U we upload to it, u we choke it, O we dialled it,
     *               I it dialled us, E the connection is encrypted (MSE, RC4)
     * @param client the client its peer_id names
     * @param source how we met it: {@code given} (by the user or a magnet), {@code found} (the DHT), or
     *               {@code incoming}
     */
    public record PeerView(String address, String client, String source, boolean outgoing, double progress,
                           long downRate, long upRate, String flags) {
    }

    /**
     * A torrent with its files, peers and pieces.
     *
     * @param pieces the verified pieces as a bitfield (BEP 3 order, base64)
     */
    public record TorrentDetails(TorrentView torrent, int pieceCount, int pieceSizeBytes, String pieces,
                                 List<FileView> files, List<PeerView> peers, String magnet) {
    }

    /** The whole session; the limits are bytes per second shared by all torrents (0: none). */
    public record SessionView(int torrents, int peers, long downRate, long upRate, long downloadedBytes,
                              long uploadedBytes, String tcp, String udp, String http, long uptimeSeconds,
                              long uploadLimit, long downloadLimit) {

        /** The session as the torrents of the last sample add up, with its addresses and its limits {up, down}. */
        static SessionView of(List<TorrentView> all, int torrents, DaemonEndpoint end, long[] limits, long uptimeSeconds) {
            long down = 0;
            long up = 0;
            long downloaded = 0;
            long uploaded = 0;
            int peers = 0;
            for (TorrentView v : all) {
                down += v.downRate();
                up += v.upRate();
                downloaded += v.downloadedBytes();
                uploaded += v.uploadedBytes();
                peers += v.peers();
            }
            return new SessionView(torrents, peers, down, up, downloaded, uploaded, end.tcp(), end.udp(), end.http(),
                    uptimeSeconds, limits[0], limits[1]);
        }
    }
}
