package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The per-torrent files of the {@link StateDir}: in {@code torrents/}, one {@link TorrentEntry} ({@code HASH.json})
 * and, once known, its metainfo ({@code HASH.torrent}) per torrent, each replaced atomically.
 */
public final class TorrentsFolder {

    private static final Logger log = LoggerFactory.getLogger(TorrentsFolder.class);
    private static final long MAX_STATE_FILE_BYTES = StateDir.MAX_STATE_FILE_BYTES;

    private final Path torrents;
    private final Path resumeDir;
    private final ObjectMapper json;

    TorrentsFolder(Path torrents, Path resumeDir, ObjectMapper json) {
        this.torrents = torrents;
        this.resumeDir = resumeDir;
        this.json = json;
    }

    public void save(TorrentEntry entry) throws IOException {
        AtomicFile.write(torrents.resolve(entry.infoHash() + ".json"), json.writeValueAsBytes(entry));
    }

    public void saveTorrent(InfoHash infoHash, byte[] metainfo) throws IOException {
        AtomicFile.write(torrentFile(infoHash), metainfo);
    }

    public Path torrentFile(InfoHash infoHash) {
        return torrents.resolve(infoHash.hex() + ".torrent");
    }

    public Optional<byte[]> readTorrent(InfoHash infoHash) throws IOException {
        try {
            return Optional.of(StateDir.readAtMost(torrentFile(infoHash), MAX_STATE_FILE_BYTES));
        } catch (NoSuchFileException missing) {
            return Optional.empty();
        }
    }

    public void forget(InfoHash infoHash) throws IOException {
        Files.deleteIfExists(torrents.resolve(infoHash.hex() + ".json"));
        Files.deleteIfExists(torrentFile(infoHash));
    }

    /**
     * Deletes the files of torrents that have no entry file: the {@code .torrent} (a crash between the two
     * deletions of {@link #forget}) and the resume data and parts file (a crash in the middle of a removal
     * before its entry went, or older versions, which forgot the entry first). A torrent whose entry exists
     * but does not parse keeps everything. Returns how many files it deleted.
     */
    public int deleteOrphans() throws IOException {
        Set<String> entries = new HashSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(torrents, "*.json")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                entries.add(name.substring(0, name.length() - ".json".length()));
            }
        }
        int deleted = deleteWithoutEntry(torrents, ".torrent", entries) + deleteWithoutEntry(resumeDir, ".resume", entries)
                + deleteWithoutEntry(resumeDir, ".parts", entries);
        if (deleted > 0) {
            log.info("deleted {} file(s) of torrents no longer in {}", deleted, torrents.getParent());
        }
        return deleted;
    }

    /** Deletes {@code folder/<hex><suffix>} for every 40-hex-digit name not in {@code entries} (one listing each). */
    private static int deleteWithoutEntry(Path folder, String suffix, Set<String> entries) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*" + suffix)) {
            for (Path f : files) {
                String hex = f.getFileName().toString();
                hex = hex.substring(0, hex.length() - suffix.length());
                if (isInfoHashHex(hex) && !entries.contains(hex) && Files.deleteIfExists(f)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** {@code [0-9a-f]{40}}, without compiling a pattern for each of a thousand names. */
    private static boolean isInfoHashHex(String s) {
        if (s.length() != 40) {
            return false;
        }
        for (int i = 0; i < 40; i++) {
            char c = s.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Every entry that reads back whole; an unreadable one is reported and skipped, never deleted. */
    public List<TorrentEntry> entries() throws IOException {
        return entries(Runnable::run);
    }

    /**
     * As {@link #entries()}, each file read and parsed on {@code pool} (a restart with 1,000 torrents reads 1,000
     * files: two cores halve the wait); oldest first, as {@link #entries()}.
     */
    public List<TorrentEntry> entries(Executor pool) throws IOException {
        List<CompletableFuture<Optional<TorrentEntry>>> reads = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(torrents, "*.json")) {
            for (Path f : files) {
                reads.add(CompletableFuture.supplyAsync(() -> readEntry(f), pool));
            }
        }
        List<TorrentEntry> out = new ArrayList<>(reads.size());
        for (CompletableFuture<Optional<TorrentEntry>> r : reads) {
            r.join().ifPresent(out::add);
        }
        out.sort(Comparator.comparingLong(TorrentEntry::addedAt).thenComparing(TorrentEntry::infoHash));
        return out;
    }

    /** The entry in {@code f}, or empty (reported) when it does not read back whole. */
    private Optional<TorrentEntry> readEntry(Path f) {
        try {
            TorrentEntry e = json.readValue(StateDir.readAtMost(f, MAX_STATE_FILE_BYTES), TorrentEntry.class);
            InfoHash.parse(e.infoHash());
            if (!f.getFileName().toString().equals(e.infoHash() + ".json") || e.saveDir() == null) {
                throw new IOException("does not describe the torrent its name says");
            }
            return Optional.of(e);
        } catch (IOException | RuntimeException e) {
            log.warn("skipping {}: {}", f, e.getMessage());
            return Optional.empty();
        }
    }
}
