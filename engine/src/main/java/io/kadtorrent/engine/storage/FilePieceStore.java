package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    private final List<Path> paths;
    /** Where each file's bytes live; replaced as a whole (on the disk thread) when a skipped file becomes wanted. */
    private volatile Target[] targets;
    private final Path partsFile;
    private FileChannel parts; // opened when a skipped file first needs it; guarded by this
    private final Path resumeFile;
    private final BitSet verified = new BitSet(); // guarded by itself
    private final ThreadLocal<MessageDigest> sha1 = ThreadLocal.withInitial(FilePieceStore::newSha1);
    private final ThreadLocal<ByteBuffer> readBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));
    /** Pieces being written, hashed on the way (writer thread only). */
    private final Map<Integer, StreamingPieceHash> hashing = new ConcurrentHashMap<>();

    /**
     * Where a file's bytes live: byte {@code k} of the file is at {@code base + k} of {@code channel}, the file
     * itself (base 0) or, for a skipped file not on disk, the parts file (base = the file's torrent offset).
     * A null channel: skipped, nothing written yet.
     */
    private record Target(FileChannel channel, long base, boolean inParts) {
        static final Target NOWHERE = new Target(null, 0, true);
    }

    private FilePieceStore(Metainfo metainfo, List<Path> paths, Target[] targets, Path resumeFile) {
        this.metainfo = metainfo;
        this.layout = metainfo.layout();
        this.paths = paths;
        this.targets = targets;
        this.resumeFile = resumeFile;
        this.partsFile = resumeFile.resolveSibling(metainfo.infoHash().hex() + ".parts");
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
        Target[] targets = new Target[paths.size()];
        try {
            for (int i = 0; i < paths.size(); i++) {
                FileEntry f = metainfo.files().get(i);
                boolean skipped = !priorities.isEmpty() && priorities.get(i) == FilePriority.SKIP;
                if (!f.isData()) {
                    targets[i] = new Target(new ZeroChannel(f.lengthBytes()), 0, false); // BEP 47 padding: never on disk
                } else if (skipped && !Files.exists(paths.get(i))) {
                    targets[i] = Target.NOWHERE;
                } else {
                    targets[i] = new Target(openFile(paths.get(i)), 0, false);
                }
            }
        } catch (IOException e) {
            closeAll(targets, null);
            throw e;
        }
        FilePieceStore store = new FilePieceStore(metainfo, paths, targets, resumeFile);
        try {
            store.routeSkippedToParts(Files.exists(store.partsFile));
            store.restoreVerified();
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    private static FileChannel openFile(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Points every skipped file that is not on disk at the parts file, opening it (creating it when
     * {@code create}, else only when it exists).
     */
    private synchronized void routeSkippedToParts(boolean create) throws IOException {
        Target[] next = targets.clone();
        for (int i = 0; i < next.length; i++) {
            if (next[i].inParts() && next[i].channel() == null) {
                if (parts == null && !create) {
                    return;
                }
                if (parts == null) {
                    Files.createDirectories(partsFile.toAbsolutePath().getParent());
                    parts = FileChannel.open(partsFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                            StandardOpenOption.WRITE, StandardOpenOption.SPARSE);
                }
                next[i] = new Target(parts, layout.fileStart(i), true);
            }
        }
        targets = next;
    }

    /**
     * Applies new file priorities (call on the writer thread, before writing blocks of newly wanted files):
     * a skipped file is no longer created; a file wanted again gets its real file, with whatever of it
     * was kept in the parts file copied in.
     */
    @Override
    public synchronized void setFilePriorities(List<FilePriority> priorities) throws IOException {
        if (priorities.size() != targets.length) {
            throw new IllegalArgumentException(priorities.size() + " priorities for " + targets.length + " files");
        }
        Target[] next = targets.clone();
        for (int i = 0; i < next.length; i++) {
            if (priorities.get(i) != FilePriority.SKIP && next[i].inParts()) {
                FileChannel real = openFile(paths.get(i));
                if (next[i].channel() != null) {
                    copyFromParts(i, next[i], real);
                }
                next[i] = new Target(real, 0, false);
            }
        }
        targets = next;
    }

    /** Copies the bytes of file {@code fileIndex} that the parts file holds (its pieces written so far). */
    private void copyFromParts(int fileIndex, Target from, FileChannel to) throws IOException {
        int first = layout.firstPieceOf(fileIndex);
        int last = layout.lastPieceOf(fileIndex);
        long fileStart = layout.fileStart(fileIndex);
        long fileEnd = fileStart + layout.fileLengthBytes(fileIndex);
        for (int p = first; p >= 0 && p <= last; p++) {
            if (!hasPiece(p) && !hashing.containsKey(p)) {
                continue; // nothing of this piece was written
            }
            long start = Math.max(fileStart, layout.pieceStart(p));
            long end = Math.min(fileEnd, layout.pieceStart(p) + layout.pieceSize(p));
            long pos = start - fileStart;
            long src = from.base() + pos;
            long n = Math.min(end - start, Math.max(0, from.channel().size() - src));
            while (n > 0) {
                long moved = from.channel().transferTo(src, n, to.position(pos));
                if (moved <= 0) {
                    break;
                }
                src += moved;
                pos += moved;
                n -= moved;
            }
        }
    }

    /** Where resume data for {@code metainfo} lives under {@code parentDir}. */
    public Path resumeFile() {
        return resumeFile;
    }

    private void restoreVerified() throws IOException {
        var resume = ResumeData.read(resumeFile, metainfo.infoHash(), layout.pieceCount());
        if (resume.isPresent() && resume.get().matches(dataPaths(), BootId.current())) {
            synchronized (verified) {
                verified.or(resume.get().verified());
            }
            log.debug("{}: resume data trusted, {} pieces verified", metainfo.infoHash().shortHex(), verifiedCount());
            return;
        }
        for (int i = 0; i < layout.pieceCount(); i++) {
            if (onDisk(i)) {
                verifyPiece(i);
            }
        }
        log.debug("{}: re-hashed, {} pieces verified", metainfo.infoHash().shortHex(), verifiedCount());
    }

    /** True when every file byte of piece {@code i} exists (files long enough), so hashing can succeed. */
    private boolean onDisk(int pieceIndex) throws IOException {
        Target[] t = targets;
        for (FileSpan s : layout.spansOfPiece(pieceIndex)) {
            Target at = t[s.fileIndex()];
            if (at.channel() == null || at.channel().size() < at.base() + s.fileOffset() + s.lengthBytes()) {
                return false;
            }
        }
        return true;
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
            Target at = targets[s.fileIndex()];
            if (at.channel() == null) {
                routeSkippedToParts(true); // the first bytes of a skipped file: kept aside
                at = targets[s.fileIndex()];
            }
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
        Target[] t = targets;
        for (FileSpan s : layout.spans(layout.pieceStart(pieceIndex) + offset, Math.toIntExact(lengthBytes))) {
            Target at = t[s.fileIndex()];
            if (at.channel() == null) {
                throw new EOFException(paths.get(s.fileIndex()) + " is skipped and holds nothing of piece " + pieceIndex);
            }
            long pos = at.base() + s.fileOffset();
            long end = pos + s.lengthBytes();
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = at.channel().read(buf, pos);
                if (n < 0) {
                    throw new EOFException(paths.get(s.fileIndex()) + " ends before piece " + pieceIndex + " does");
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
        Target[] t = targets;
        for (FileSpan s : layout.spansOfBlock(pieceIndex, begin, dst.remaining())) {
            ByteBuffer part = dst.duplicate().limit(dst.position() + s.lengthBytes());
            Target at = t[s.fileIndex()];
            long pos = at.base() + s.fileOffset();
            while (part.hasRemaining()) {
                if (at.channel() == null || at.channel().read(part, pos) < 0) {
                    throw new IOException(paths.get(s.fileIndex()) + " is shorter than the torrent says");
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
        Target[] t = targets;
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
            for (Target t : targets) {
                if (t.channel() != null) {
                    t.channel().force(false); // the bitfield must never claim data the disk does not hold
                }
            }
        }
        new ResumeData(metainfo.infoHash(), ResumeData.stamp(dataPaths()), verifiedPieces(), boot)
                .writeAtomically(resumeFile);
    }

    /**
     * The paths of the files that are on disk (not BEP 47 padding), and the parts file when it exists:
     * what resume data stamps.
     */
    private List<Path> dataPaths() {
        List<Path> out = new ArrayList<>(paths.size() + 1);
        for (int i = 0; i < paths.size(); i++) {
            if (metainfo.files().get(i).isData()) {
                out.add(paths.get(i));
            }
        }
        if (Files.exists(partsFile)) {
            out.add(partsFile);
        }
        return out;
    }

    @Override
    public synchronized void close() throws IOException {
        closeAll(targets, parts);
    }

    private static void closeAll(Target[] targets, FileChannel parts) throws IOException {
        IOException first = null;
        List<FileChannel> channels = new ArrayList<>();
        for (Target t : targets) {
            if (t != null && t.channel() != null && t.channel() != parts) {
                channels.add(t.channel());
            }
        }
        if (parts != null) {
            channels.add(parts);
        }
        for (FileChannel c : channels) {
            try {
                c.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static MessageDigest newSha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }
}
