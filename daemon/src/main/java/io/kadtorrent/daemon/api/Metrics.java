package io.kadtorrent.daemon.api;

import io.kadtorrent.daemon.Views.SessionView;
import io.kadtorrent.daemon.Views.TorrentView;

import java.util.List;
import java.util.Locale;

/** The daemon's numbers in the Prometheus text format (version 0.0.4), for {@code GET /metrics}. */
final class Metrics {

    private Metrics() {
    }

    static String render(List<TorrentView> torrents, SessionView session) {
        StringBuilder out = new StringBuilder(256 + torrents.size() * 600);
        gauge(out, "kadtorrent_torrents", "Torrents in the daemon.", session.torrents());
        gauge(out, "kadtorrent_peers", "Connected peers, all torrents.", session.peers());
        gauge(out, "kadtorrent_download_rate_bytes", "Bytes per second received, all torrents.", session.downRate());
        gauge(out, "kadtorrent_upload_rate_bytes", "Bytes per second sent, all torrents.", session.upRate());
        gauge(out, "kadtorrent_uptime_seconds", "Seconds since the daemon started.", session.uptimeSeconds());
        series(out, torrents, "kadtorrent_torrent_downloaded_bytes_total", "counter",
                "Block bytes received for the torrent.", TorrentView::downloadedBytes);
        series(out, torrents, "kadtorrent_torrent_uploaded_bytes_total", "counter",
                "Block bytes sent for the torrent.", TorrentView::uploadedBytes);
        series(out, torrents, "kadtorrent_torrent_verified_bytes", "gauge",
                "Bytes of verified pieces.", TorrentView::verifiedBytes);
        series(out, torrents, "kadtorrent_torrent_size_bytes", "gauge", "Size of the torrent.", TorrentView::sizeBytes);
        series(out, torrents, "kadtorrent_torrent_peers", "gauge", "Connected peers.", TorrentView::peers);
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(" gauge\n")
                .append(name).append(' ').append(value).append('\n');
    }

    private static void series(StringBuilder out, List<TorrentView> torrents, String name, String type, String help,
                               java.util.function.ToLongFunction<TorrentView> value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
        for (TorrentView t : torrents) {
            out.append(name).append("{info_hash=\"").append(t.infoHash()).append("\",name=\"")
                    .append(escape(t.name())).append("\",state=\"").append(t.state()).append("\"} ")
                    .append(String.format(Locale.ROOT, "%d", value.applyAsLong(t))).append('\n');
        }
    }

    /** Label values escape backslash, double quote and newline. */
    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
