package io.kadtorrent.engine.session;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.storage.FilePieceStore;
import io.kadtorrent.engine.storage.PieceStore;
import io.kadtorrent.engine.storage.ResumeData;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens the session's torrents' files with their resume data, kept in the session's resume folder when it has
 * one (else beside each torrent's data). Thread-safe: it holds no mutable state.
 */
final class TorrentFiles {

    private static final Logger log = LoggerFactory.getLogger(TorrentFiles.class);

    private final Optional<Path> resumeDir;
    /** The resume folder was cleared of interrupted saves at start, so no torrent looks again. */
    private final boolean resumeDirSwept;

    private TorrentFiles(Optional<Path> resumeDir, boolean resumeDirSwept) {
        this.resumeDir = resumeDir;
        this.resumeDirSwept = resumeDirSwept;
    }

    /** Files with resume data in {@code resumeDir} (empty: beside each torrent's data), swept of interrupted saves. */
    static TorrentFiles sweeping(Optional<Path> resumeDir) {
        return new TorrentFiles(resumeDir, sweep(resumeDir));
    }

    private static boolean sweep(Optional<Path> resumeDir) {
        if (resumeDir.isEmpty()) {
            return false;
        }
        try {
            int leftovers = AtomicFile.deleteLeftoversIn(resumeDir.get());
            if (leftovers > 0) {
                log.info("deleted {} temp file(s) of interrupted resume saves in {}", leftovers, resumeDir.get());
            }
            return true;
        } catch (IOException e) {
            log.warn("cannot clear {} of interrupted saves: {}", resumeDir.get(), e.getMessage());
            return false; // each torrent then clears its own
        }
    }

    /** Opens a magnet download's files once its metadata is known, off the event loops (it may re-hash). */
    CompletableFuture<PieceStore> openAsync(Metainfo metainfo, Path parentDir, List<FilePriority> priorities) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return open(metainfo, parentDir, priorities);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    FilePieceStore open(Metainfo metainfo, Path parentDir, List<FilePriority> priorities) throws IOException {
        Path resume = resumeFile(metainfo, parentDir);
        return resumeDirSwept ? FilePieceStore.openSwept(metainfo, parentDir, resume, priorities)
                : FilePieceStore.open(metainfo, parentDir, resume, priorities);
    }

    /** Where the resume data of {@code metainfo} lives: the session's resume folder, else beside the data. */
    Path resumeFile(Metainfo metainfo, Path parentDir) {
        return resumeDir.map(d -> inResumeDir(d, metainfo.infoHash()))
                .orElseGet(() -> FilePieceStore.defaultResumeFile(metainfo, parentDir));
    }

    /**
     * Whether the resume folder holds resume data saying all {@code pieceCount} pieces of {@code infoHash} were
     * verified; false without a resume folder.
     */
    boolean claimsComplete(InfoHash infoHash, int pieceCount) {
        if (resumeDir.isEmpty()) {
            return false;
        }
        Optional<ResumeData> data = ResumeData.read(inResumeDir(resumeDir.get(), infoHash), infoHash, pieceCount);
        return data.isPresent() && data.get().claimsComplete(pieceCount);
    }

    private static Path inResumeDir(Path dir, InfoHash infoHash) {
        return dir.resolve(infoHash.hex() + ".resume");
    }
}
