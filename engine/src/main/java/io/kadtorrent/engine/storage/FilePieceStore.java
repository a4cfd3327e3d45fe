package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.storage.FileTargets.Target;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link PieceStore} over the torrent's real files below an output folder, with positional
 * {@link FileChannel} I/O through the torrent's {@link PieceLayout}. Opening checks every path stays
 * inside the folder before creating anything, then restores verified pieces from {@link ResumeData}
 * (fast path) or by re-hashing what is on disk (slow path).
 *
 * <p>A file the user skips ({@link FilePriority#SKIP}) is not created. The bytes of it that share a piece
 * with a wanted file still have to be written and hashed: they go to one sparse "parts" file beside the
 * resume data ({@code <info_hash>.parts}, each at its offset in the torrent) and move into the real file
 * when the user wants it later. A skipped file that already exists is used as it is.
 */
public final class FilePieceStore implements PieceStore {

    private static final Logger log = LoggerFactory.getLogger(FilePieceStore.class);

    private final Metainfo metainfo;
    private final PieceLayout layout;
    /** Where each file's bytes live. */
    private final FileTargets files;
    private final Path resumeFile;
    private final BitSet verified = new BitSet(); // guarded by itself
    private final ThreadLocal<MessageDigest> sha1 = ThreadLocal.withInitial(FilePieceStore::newSha1);
    private final ThreadLocal<ByteBuffer> readBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));
    /** Pieces being written, hashed on the way (writer thread only). */
    private final Map<Integer, StreamingPieceHash> hashing = new ConcurrentHashMap<>();

    private FilePieceStore(Metainfo metainfo, FileTargets files, Path resumeFile) {
        this.metainfo = metainfo;
        this.layout = metainfo.layout();
        this.files = files;
        this.resumeFile = resumeFile;
    }

    /**
     * Opens (creating when missing) the torrent's files below {@code parentDir} and finds which pieces
     * are already verified.
     *
     * @throws IOException if a path escapes the folder (nothing is created then) or a file cannot be opened
     */
    public static FilePieceStore open(Metainfo metainfo, Path parentDir) throws IOException {
        return open(metainfo, parentDir, defaultResumeFile(metainfo, parentDir));
    }

    /** The resume data's place when nobody says otherwise: {@code parentDir/.kadtorrent/<info_hash>.resume}. */
    public static Path defaultResumeFile(Metainfo metainfo, Path parentDir) {
        return parentDir.toAbsolutePath().normalize().resolve(".kadtorrent").resolve(metainfo.infoHash().hex() + ".resume");
    }

    /** As {@link #open(Metainfo, Path)}, with the resume data kept in {@code resumeFile}. */
    public static FilePieceStore open(Metainfo metainfo, Path parentDir, Path resumeFile) throws IOException {
        return open(metainfo, parentDir, resumeFile, List.of());
    }

    /**
     * As {@link #open(Metainfo, Path, Path)}, with each file's priority ({@code priorities} empty: all
     * wanted): skipped files that do not exist are not created.
     */
    public static FilePieceStore open(Metainfo metainfo, Path parentDir, Path resumeFile, List<FilePriority> priorities)
            throws IOException {
        int leftovers = AtomicFile.deleteLeftovers(resumeFile); // a kill during a save leaves its temp file
        if (leftovers > 0) {
            log.info("{}: deleted {} temp file(s) of an interrupted resume save", metainfo.infoHash().shortHex(), leftovers);
        }
        return openSwept(metainfo, parentDir, resumeFile, priorities);
    }

    /**
     * As {@link #open(Metainfo, Path, Path, List)} for a resume file whose folder its one owner has already
     * cleared of interrupted saves ({@link AtomicFile#deleteLeftoversIn}, once when it started): finding one
     * torrent's leftovers reads the whole folder, so a session with 1,000 torrents in one resume folder
     * read a million names at every restart.
     */
    public static FilePieceStore openSwept(Metainfo metainfo, Path parentDir, Path resumeFile,
                                           List<FilePriority> priorities) throws IOException {
        List<Path> paths = TorrentPaths.resolve(metainfo, parentDir);
        if (!priorities.isEmpty() && priorities.size() != paths.size()) {
            throw new IllegalArgumentException(priorities.size() + " priorities for " + paths.size() + " files");
        }
        Path partsFile = resumeFile.resolveSibling(metainfo.infoHash().hex() + ".parts");
        FilePieceStore store = new FilePieceStore(metainfo, FileTargets.open(metainfo, paths, priorities, partsFile),
                resumeFile);
        try {
            store.restoreVerified();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /**
     * Applies new file priorities (call on the writer thread, before writing blocks of newly wanted files):
     * a skipped file is no longer created; a file wanted again gets its real file, with whatever of it
     * was kept in the parts file copied in.
     */
    @Override
    public void setFilePriorities(List<FilePriority> priorities) throws IOException {
        files.applyPriorities(priorities, p -> hasPiece(p) || hashing.containsKey(p));
    }

    /** Where resume data for {@code metainfo} lives under {@code parentDir}. */
    public Path resumeFile() {
        return resumeFile;
    }

    private void restoreVerified() throws IOException {
        var resume = ResumeData.read(resumeFile, metainfo.infoHash(), layout.pieceCount());
        if (resume.isPresent() && resume.get().matches(files.dataPaths(), BootId.current())) {
            synchronized (verified) {
                verified.or(resume.get().verified());
            }
            log.debug("{}: resume data trusted, {} pieces verified", metainfo.infoHash().shortHex(), verifiedCount());
            return;
        }
        for (int i = 0; i < layout.pieceCount(); i++) {
            if (files.holdsAllOf(i)) {
                verifyPiece(i);
            }
        }
        log.debug("{}: re-hashed, {} pieces verified", metainfo.infoHash().shortHex(), verifiedCount());
    }

    @Override
    public PieceLayout layout() {
        return layout;
    }

    @Override
    public boolean hasPiece(int pieceIndex) {
        synchronized (verified) {
            return verified.get(pieceIndex);
        }
    }

    @Override
    public BitSet verifiedPieces() {
        synchronized (verified) {
            return (BitSet) verified.clone();
        }
    }

    @Override
    public int verifiedCount() {
        synchronized (verified) {
            return verified.cardinality();
        }
    }

    @Override
    public void writeBlock(int pieceIndex, int begin, ByteBuffer block) throws IOException {
        long torrentOffset = layout.pieceStart(pieceIndex) + begin;
        layout.spansOfBlock(pieceIndex, begin, block.remaining()); // range check
        // a direct buffer goes to the file as it is, no copy
        writeAt(torrentOffset, block.duplicate());
        StreamingPieceHash h = hashing.computeIfAbsent(pieceIndex, i -> new StreamingPieceHash(newSha1()));
        h.written(begin, block, (offset, len, md) -> hashFromDisk(pieceIndex, offset, len, md));
    }

    /** Writes {@code bytes} at {@code torrentOffset}, across file boundaries. */
    private void writeAt(long torrentOffset, ByteBuffer bytes) throws IOException {
        int done = bytes.position();
        for (FileSpan s : layout.spans(torrentOffset, bytes.remaining())) {
            ByteBuffer src = bytes.duplicate().limit(done + s.lengthBytes()).position(done);
            Target at = files.forWriting(s.fileIndex());
            long pos = at.base() + s.fileOffset();
            while (src.hasRemaining()) {
                pos += at.channel().write(src, pos);
            }
            done += s.lengthBytes();
        }
    }

    @Override
    public boolean verifyPiece(int pieceIndex) throws IOException {
        StreamingPieceHash h = hashing.remove(pieceIndex);
        int size = layout.pieceSize(pieceIndex);
        Optional<byte[]> streamed = h == null ? Optional.empty()
                : h.finish(size, (offset, n, md) -> hashFromDisk(pieceIndex, offset, n, md));
        if (streamed.isPresent()) {
            return markIfMatches(pieceIndex, streamed.get());
        }
        MessageDigest md = sha1.get();
        md.reset();
        try {
            hashFromDisk(pieceIndex, 0, size, md);
        } catch (EOFException e) {
            return false; // file shorter than the piece: not there yet
        }
        return markIfMatches(pieceIndex, md.digest());
    }

    /** Feeds {@code lengthBytes} of piece {@code pieceIndex} from {@code offset}, read from the files, to {@code md}. */
    private void hashFromDisk(int pieceIndex, long offset, long lengthBytes, MessageDigest md) throws IOException {
        ByteBuffer buf = readBuffer.get();
        Target[] t = files.current();
        for (FileSpan s : layout.spans(layout.pieceStart(pieceIndex) + offset, Math.toIntExact(lengthBytes))) {
            Target at = t[s.fileIndex()];
            if (at.channel() == null) {
                throw new EOFException(files.path(s.fileIndex()) + " is skipped and holds nothing of piece " + pieceIndex);
            }
            long pos = at.base() + s.fileOffset();
            long end = pos + s.lengthBytes();
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = at.channel().read(buf, pos);
                if (n < 0) {
                    throw new EOFException(files.path(s.fileIndex()) + " ends before piece " + pieceIndex + " does");
                }
                pos += n;
                md.update(buf.flip());
            }
        }
    }

    private boolean markIfMatches(int pieceIndex, byte[] digest) {
        boolean ok = metainfo.pieceHashMatches(pieceIndex, digest);
        if (ok) {
            synchronized (verified) {
                verified.set(pieceIndex);
            }
        }
        return ok;
    }

    @Override
    public void readBlock(int pieceIndex, int begin, ByteBuffer dst) throws IOException {
        if (!hasPiece(pieceIndex)) {
            throw new IllegalStateException("piece " + pieceIndex + " is not verified");
        }
        Target[] t = files.current();
        for (FileSpan s : layout.spansOfBlock(pieceIndex, begin, dst.remaining())) {
            ByteBuffer part = dst.duplicate().limit(dst.position() + s.lengthBytes());
            Target at = t[s.fileIndex()];
            long pos = at.base() + s.fileOffset();
            while (part.hasRemaining()) {
                if (at.channel() == null || at.channel().read(part, pos) < 0) {
                    throw new IOException(files.path(s.fileIndex()) + " is shorter than the torrent says");
                }
                pos = at.base() + s.fileOffset() + (part.position() - dst.position());
            }
            dst.position(part.position());
        }
    }

    @Override
    public Optional<List<FileSlice>> blockSlices(int pieceIndex, int begin, int lengthBytes) {
        if (!hasPiece(pieceIndex)) {
            throw new IllegalStateException("piece " + pieceIndex + " is not verified");
        }
        List<FileSpan> spans = layout.spansOfBlock(pieceIndex, begin, lengthBytes);
        List<FileSlice> out = new ArrayList<>(spans.size());
        Target[] t = files.current();
        for (FileSpan s : spans) {
            Target at = t[s.fileIndex()];
            if (at.channel() == null) {
                return Optional.empty(); // cannot be for a verified piece; let readBlock say what is wrong
            }
            out.add(new FileSlice(at.channel(), at.base() + s.fileOffset(), s.lengthBytes()));
        }
        return Optional.of(out);
    }

    @Override
    public void saveResume(boolean forced) throws IOException {
        Optional<String> boot = forced ? Optional.empty() : BootId.current();
        if (boot.isEmpty()) {
            files.force(); // the bitfield must never claim data the disk does not hold
        }
        new ResumeData(metainfo.infoHash(), ResumeData.stamp(files.dataPaths()), verifiedPieces(), boot)
                .writeAtomically(resumeFile);
    }

    @Override
    public void close() throws IOException {
        files.close();
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
