package io.kadtorrent.engine.storage;

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
 */
public final class FilePieceStore implements PieceStore {

    private static final Logger log = LoggerFactory.getLogger(FilePieceStore.class);

    private final Metainfo metainfo;
    private final PieceLayout layout;
    private final List<Path> paths;
    private final FileChannel[] channels;
    private final Path resumeFile;
    private final BitSet verified = new BitSet(); // guarded by itself
    private final ThreadLocal<MessageDigest> sha1 = ThreadLocal.withInitial(FilePieceStore::newSha1);
    private final ThreadLocal<ByteBuffer> readBuffer = ThreadLocal.withInitial(() -> ByteBuffer.allocate(64 * 1024));
    /** Pieces being written, hashed on the way (writer thread only). */
    private final Map<Integer, StreamingPieceHash> hashing = new ConcurrentHashMap<>();

    private FilePieceStore(Metainfo metainfo, List<Path> paths, FileChannel[] channels, Path resumeFile) {
        this.metainfo = metainfo;
        this.layout = metainfo.layout();
        this.paths = paths;
        this.channels = channels;
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
        List<Path> paths = TorrentPaths.resolve(metainfo, parentDir);
        FileChannel[] channels = new FileChannel[paths.size()];
        try {
            for (int i = 0; i < paths.size(); i++) {
                FileEntry f = metainfo.files().get(i);
                if (!f.isData()) {
                    channels[i] = new ZeroChannel(f.lengthBytes()); // BEP 47 padding: never on disk
                    continue;
                }
                Files.createDirectories(paths.get(i).getParent());
                channels[i] = FileChannel.open(paths.get(i), StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            }
        } catch (IOException e) {
            closeAll(channels);
            throw e;
        }
        FilePieceStore store = new FilePieceStore(metainfo, paths, channels, resumeFile);
        store.restoreVerified();
        return store;
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
        for (FileSpan s : layout.spansOfPiece(pieceIndex)) {
            if (channels[s.fileIndex()].size() < s.fileOffset() + s.lengthBytes()) {
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
            long pos = s.fileOffset();
            while (src.hasRemaining()) {
                pos += channels[s.fileIndex()].write(src, pos);
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
        for (FileSpan s : layout.spans(layout.pieceStart(pieceIndex) + offset, Math.toIntExact(lengthBytes))) {
            long pos = s.fileOffset();
            long end = pos + s.lengthBytes();
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = channels[s.fileIndex()].read(buf, pos);
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
        for (FileSpan s : layout.spansOfBlock(pieceIndex, begin, dst.remaining())) {
            ByteBuffer part = dst.duplicate().limit(dst.position() + s.lengthBytes());
            long pos = s.fileOffset();
            while (part.hasRemaining()) {
                if (channels[s.fileIndex()].read(part, pos) < 0) {
                    throw new IOException(paths.get(s.fileIndex()) + " is shorter than the torrent says");
                }
                pos = s.fileOffset() + (part.position() - dst.position());
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
        for (FileSpan s : spans) {
            out.add(new FileSlice(channels[s.fileIndex()], s.fileOffset(), s.lengthBytes()));
        }
        return Optional.of(out);
    }

    @Override
    public void saveResume(boolean forced) throws IOException {
        Optional<String> boot = forced ? Optional.empty() : BootId.current();
        if (boot.isEmpty()) {
            for (FileChannel c : channels) {
                c.force(false); // the bitfield must never claim data the disk does not hold
            }
        }
        new ResumeData(metainfo.infoHash(), ResumeData.stamp(dataPaths()), verifiedPieces(), boot)
                .writeAtomically(resumeFile);
    }

    /** The paths of the files that are on disk (not BEP 47 padding): what resume data stamps. */
    private List<Path> dataPaths() {
        List<Path> out = new ArrayList<>(paths.size());
        for (int i = 0; i < paths.size(); i++) {
            if (metainfo.files().get(i).isData()) {
                out.add(paths.get(i));
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        closeAll(channels);
    }

    private static void closeAll(FileChannel[] channels) throws IOException {
        IOException first = null;
        for (FileChannel c : channels) {
            try {
                if (c != null) {
                    c.close();
                }
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
