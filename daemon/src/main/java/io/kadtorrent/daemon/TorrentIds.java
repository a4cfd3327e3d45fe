package io.kadtorrent.daemon;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.List;
import java.util.Locale;

/** How users name a torrent: by info_hash, a unique prefix of one, a unique name, or the unique start of one. */
public final class TorrentIds {

    private TorrentIds() {
    }

    /** The torrent an ID names: an info_hash, a unique prefix of one (4+ hex digits), or a unique name. */
    static InfoHash resolve(String id, java.util.Collection<ManagedTorrent> torrents) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("no torrent given");
        }
        String lower = id.toLowerCase(Locale.ROOT);
        List<ManagedTorrent> all = List.copyOf(torrents);
        List<ManagedTorrent> hits = all.stream().filter(m -> m.infoHash.hex().equals(lower)).toList();
        if (hits.isEmpty() && lower.length() >= 4 && lower.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            hits = all.stream().filter(m -> m.infoHash.hex().startsWith(lower)).toList();
        }
        if (hits.isEmpty()) {
            hits = all.stream().filter(m -> m.entry().name().equals(id)).toList();
        }
        if (hits.isEmpty()) {
            hits = all.stream().filter(m -> m.entry().name().equalsIgnoreCase(id)).toList();
        }
        if (hits.isEmpty()) { // the start of a name, ignoring case: "movie" for movie.mkv
            hits = all.stream().filter(m -> m.entry().name().toLowerCase(Locale.ROOT).startsWith(lower)).toList();
        }
        if (hits.isEmpty()) {
            throw new NoSuchTorrentException("no torrent matches " + id);
        }
        if (hits.size() > 1) {
            throw new IllegalArgumentException(id + " matches " + hits.size() + " torrents: " + hits.stream()
                    .map(m -> m.infoHash.hex().substring(0, 8) + " " + m.entry().name()).toList()
                    + "; give more of the info_hash");
        }
        return hits.get(0).infoHash;
    }

    /** Thrown when an ID names no torrent (the API answers 404). */
    public static final class NoSuchTorrentException extends IllegalArgumentException {
        public NoSuchTorrentException(String message) {
            super(message);
        }
    }
}
