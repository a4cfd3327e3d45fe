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
 * @param filePriorities each file's priority ({@code skip|low|normal|high}) once the torrent is known; null: all normal
 * @param select     a magnet's file choice ({@code only}/{@code skip} globs) until its file list is known; else null
 * @param uploadLimit   this torrent's upload limit in bytes per second (0: none but the session's)
 * @param downloadLimit this torrent's download limit in bytes per second (0: none but the session's)
 * @param sequential pieces fetched in order (lowest index first) rather than rarest first
 * @param seeding    counters and state of the seeding limits
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
        @JsonProperty("added_at") long addedAt,
        @JsonProperty("file_priorities") List<String> filePriorities,
        @JsonProperty("select") Selection select,
        @JsonProperty("upload_limit") long uploadLimit,
        @JsonProperty("download_limit") long downloadLimit,
        @JsonProperty("sequential") boolean sequential,
        @JsonProperty("seeding") Seeding seeding) {

    /**
     * What seeding limits need across restarts.
     *
     * @param uploadedBytes bytes uploaded before this run of the daemon (the ratio counts them)
     * @param seededSeconds seconds seeded before this run
     * @param finished      why a seeding limit stopped it (null while it may seed)
     * @param exempt        the user resumed it after a limit: it seeds until paused
     */
    public record Seeding(@JsonProperty("uploaded_bytes") long uploadedBytes,
                          @JsonProperty("seeded_seconds") long seededSeconds,
                          @JsonProperty("finished") String finished,
                          @JsonProperty("exempt") boolean exempt) {
        static final Seeding NEW = new Seeding(0, 0, null, false);
    }

    /** Globs choosing files: {@code only} these (none: all), minus {@code skip}. */
    public record Selection(@JsonProperty("only") List<String> only, @JsonProperty("skip") List<String> skip) {
        public Selection {
            only = only == null ? List.of() : List.copyOf(only);
            skip = skip == null ? List.of() : List.copyOf(skip);
        }
    }

    public TorrentEntry {
        peers = peers == null ? List.of() : List.copyOf(peers);
        filePriorities = filePriorities == null ? null : List.copyOf(filePriorities);
        seeding = seeding == null ? Seeding.NEW : seeding;
    }

    public TorrentEntry(String infoHash, String name, String saveDir, String origin, String magnet, List<String> peers,
                        boolean paused, boolean completed, long addedAt) {
        this(infoHash, name, saveDir, origin, magnet, peers, paused, completed, addedAt, null, null, 0, 0, false, null);
    }

    public TorrentEntry(String infoHash, String name, String saveDir, String origin, String magnet, List<String> peers,
                        boolean paused, boolean completed, long addedAt, List<String> filePriorities, Selection select) {
        this(infoHash, name, saveDir, origin, magnet, peers, paused, completed, addedAt, filePriorities, select, 0, 0, false, null);
    }

    TorrentEntry withSeeding(Seeding s) {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, completed, addedAt, filePriorities,
                select, uploadLimit, downloadLimit, sequential, s);
    }

    TorrentEntry withSequential(boolean on) {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, completed, addedAt, filePriorities,
                select, uploadLimit, downloadLimit, on, seeding);
    }

    TorrentEntry withLimits(long upload, long download) {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, completed, addedAt, filePriorities,
                select, upload, download, sequential, seeding);
    }

    TorrentEntry withPaused(boolean p) {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, p, completed, addedAt, filePriorities,
                select, uploadLimit, downloadLimit, sequential, seeding);
    }

    TorrentEntry withCompleted() {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, true, addedAt, filePriorities,
                select, uploadLimit, downloadLimit, sequential, seeding);
    }

    /** Not completed: files were added to what the user wants. */
    TorrentEntry withMoreWanted() {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, false, addedAt, filePriorities,
                select, uploadLimit, downloadLimit, sequential, seeding);
    }

    /** Once the metadata is known the magnet is no longer needed; the name becomes the torrent's. */
    TorrentEntry withMetadata(String torrentName) {
        return new TorrentEntry(infoHash, torrentName, saveDir, origin, null, peers, paused, completed, addedAt,
                filePriorities, select, uploadLimit, downloadLimit, sequential, seeding);
    }

    /** Each file's priority as chosen; a magnet's pending selection is resolved by it. */
    TorrentEntry withFilePriorities(List<String> priorities) {
        return new TorrentEntry(infoHash, name, saveDir, origin, magnet, peers, paused, completed, addedAt, priorities,
                null, uploadLimit, downloadLimit, sequential, seeding);
    }
}
