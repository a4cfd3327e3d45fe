package io.kadtorrent.daemon;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.google.common.net.HostAndPort;
import io.kadtorrent.engine.tracker.TrackerPeerSource;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a restart needs to list a complete torrent, and let it seed asleep, without reading its .torrent: facts of
 * its metainfo, which never change for an info_hash, so a saved summary cannot go stale (it can only be missing or
 * incomplete: then the torrent is started at once, as before). Kept for all torrents in one file
 * ({@link StateDir#readSummaries}).
 *
 * @param sizeBytes  the torrent's total size
 * @param pieceCount its number of pieces
 * @param announce   its trackers, as BEP 12 tiers of URLs we can announce to; null in a summary saved before
 *                   they were kept
 * @param dhtNodes   the DHT nodes its metainfo names, as host:port; null in a summary saved before they were kept
 * @param privateTorrent BEP 27: its peers come from its trackers only, never the DHT; null in an older summary
 */
@JsonIgnoreProperties(ignoreUnknown = true) // an older run's "trackers" flag
public record TorrentSummary(@JsonProperty("size_bytes") long sizeBytes,
                             @JsonProperty("piece_count") int pieceCount,
                             @JsonProperty("announce") List<List<String>> announce,
                             @JsonProperty("dht_nodes") List<String> dhtNodes,
                             @JsonProperty("private") Boolean privateTorrent) {

    static TorrentSummary of(Metainfo m) {
        List<List<String>> tiers = TrackerPeerSource.tiersOf(m.announceList(), m.announce()).stream()
                .map(tier -> tier.stream().map(URI::toString).toList()).toList();
        return new TorrentSummary(m.totalBytes(), m.pieceCount(), tiers,
                m.nodes().stream().map(HostAndPort::toString).toList(), m.isPrivate());
    }

    /** Whether it says where its peers come from: trackers, DHT nodes, and whether it is private (not so in older runs). */
    @JsonIgnore
    boolean knowsPeerSources() {
        return announce != null && dhtNodes != null && privateTorrent != null;
    }

    /** Whether it may be looked for and announced in the DHT (not a private torrent). */
    @JsonIgnore
    boolean usesDht() {
        return !Boolean.TRUE.equals(privateTorrent);
    }

    /** Its trackers, checked again as when read from a .torrent (the file may have been edited). */
    @JsonIgnore
    List<List<URI>> trackerTiers() {
        return announce == null ? List.of() : TrackerPeerSource.tiersOf(announce, Optional.empty());
    }

    /** Its DHT nodes; an entry that does not parse is left out. */
    @JsonIgnore
    List<HostAndPort> nodes() {
        List<HostAndPort> out = new ArrayList<>();
        for (String node : dhtNodes == null ? List.<String>of() : dhtNodes) {
            try {
                HostAndPort hp = HostAndPort.fromString(node);
                if (hp.hasPort()) {
                    out.add(hp);
                }
            } catch (IllegalArgumentException | NullPointerException e) {
                // not ours to trust: a hand-edited or damaged summary
            }
        }
        return out;
    }
}
