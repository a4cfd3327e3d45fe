package io.kadtorrent.daemon;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * What the daemon remembers of one torrent across restarts, one JSON file per torrent in the state folder.
 * The torrent itself (once its metadata is known) sits beside it as {@code <info_hash>.torrent}; resume data
 * stays where the engine keeps it, under the save folder.
 *
 * @param infoHash   hex info_hash
 * @param name       display name (from the torrent, the magnet's {@code dn}, or the info_hash)
 * @param saveDir    absolute parent folder: the data is {@code saveDir/<name>}
 * @param origin     how it was added: {@code torrent}, {@code magnet}, {@code share} or {@code server}
 * @param magnet     the magnet link while the metadata is not known (null after)
 * @param peers      peer addresses the user gave ({@code host:port}), dialled again after a restart
 * @param paused     paused by the user
 * @param completed  every piece was verified at least once (a vanished folder then means "missing files")
 * @param addedAt    epoch seconds
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TorrentEntry(
        @JsonProperty("info_hash") String infoHash,
        @JsonProperty("name") String name,
        @JsonProperty("save_dir") String saveDir,
        @JsonProperty("origin") String origin,
        @JsonProperty("magnet") String magnet,
        @JsonProperty("peers") List<String> peers,
        @JsonProperty("paused") boolean paused,
        @JsonProperty("completed") boolean completed,
        @JsonProperty("added_at") long addedAt) {

    public TorrentEntry {
        peers = peers == null ? List.of() : List.copyOf(peers);
    }

    TorrentEntry withPaused(boolean p) {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, p, completed, addedAt);
    }

    TorrentEntry withCompleted() {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, true, addedAt);
    }

    /** Once the metadata is known the magnet is no longer needed; the name becomes the torrent's. */
    TorrentEntry withMetadata(String torrentName) {
        return new TorrentEntry(infoHash, torrentName, saveDir, origin, null, peers, paused, completed, addedAt);
    }
}
