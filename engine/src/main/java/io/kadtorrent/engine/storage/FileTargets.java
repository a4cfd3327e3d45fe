package io.kadtorrent.engine.storage;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.layout.PieceLayout;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The open channel behind each of a torrent's files: the file itself, the shared sparse parts file for a
 * skipped file not on disk, or zeros for BEP 47 padding.
 *
 * <p>The channels are published as one array, replaced as a whole when a skipped file first gets bytes
 * or becomes wanted, so readers take {@link #current()} once and need no lock.
 */
final class FileTargets implements AutoCloseable {

    /**
     * Where a file's bytes live: byte {@code k} of the file is at {@code base + k} of {@code channel}, the file
     * itself (base 0) or, for a skipped file not on disk, the parts file (base = the file's torrent offset).
     * A null channel: skipped, nothing written yet.
     */
    record Target(FileChannel channel, long base, boolean inParts) {
        static final Target NOWHERE = new Target(null, 0, true);
    }

    private final List<FileEntry> files;
    private final PieceLayout layout;
    private final List<Path> paths;
    /** Replaced as a whole, never changed in place; written under this. */
    private volatile Target[] targets;
    private final Path partsFile;
    private FileChannel parts; // opened when a skipped file first needs it; guarded by this

    private FileTargets(Metainfo metainfo, List<Path> paths, Target[] targets, Path partsFile) {
        this.files = metainfo.files();
        this.layout = metainfo.layout();
        this.paths = paths;
        this.targets = targets;
        this.partsFile = partsFile;
    }

    /**
     * Opens (creating when missing) every file at {@code paths} but the skipped ones not on disk, which are
     * pointed at {@code partsFile} when it exists ({@code priorities} empty: all wanted).
     */
    static FileTargets open(Metainfo metainfo, List<Path> paths, List<FilePriority> priorities, Path partsFile)
            throws IOException {
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
        FileTargets out = new FileTargets(metainfo, paths, targets, partsFile);
        try {
            out.routeSkippedToParts(Files.exists(partsFile));
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    private static FileChannel openFile(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Every file's target as of now; the array is never changed, so take it once per block. */
    Target[] current() {
        return targets;
    }

    /** File {@code fileIndex}'s target to write to: a skipped file's first bytes open the parts file. */
    Target forWriting(int fileIndex) throws IOException {
        Target at = targets[fileIndex];
        if (at.channel() == null) {
            routeSkippedToParts(true); // the first bytes of a skipped file: kept aside
            at = targets[fileIndex];
        }
        return at;
    }

    /** The path of file {@code fileIndex}, for messages. */
    Path path(int fileIndex) {
        return paths.get(fileIndex);
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
     * Gives every file no longer skipped its real file, with the pieces {@code written} says the parts file
     * holds of it copied in.
     */
    synchronized void applyPriorities(List<FilePriority> priorities, IntPredicate written) throws IOException {
        if (priorities.size() != targets.length) {
            throw new IllegalArgumentException(priorities.size() + " priorities for " + targets.length + " files");
        }
        Target[] next = targets.clone();
        for (int i = 0; i < next.length; i++) {
            if (priorities.get(i) != FilePriority.SKIP && next[i].inParts()) {
                FileChannel real = openFile(paths.get(i));
                if (next[i].channel() != null) {
                    copyFromParts(i, next[i], real, written);
                }
                next[i] = new Target(real, 0, false);
            }
        }
        targets = next;
    }

    /** Copies the bytes of file {@code fileIndex} that the parts file holds (its pieces written so far). */
    private void copyFromParts(int fileIndex, Target from, FileChannel to, IntPredicate written) throws IOException {
        int first = layout.firstPieceOf(fileIndex);
        int last = layout.lastPieceOf(fileIndex);
        long fileStart = layout.fileStart(fileIndex);
        long fileEnd = fileStart + layout.fileLengthBytes(fileIndex);
        for (int p = first; p >= 0 && p <= last; p++) {
            if (!written.test(p)) {
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

    /** True when every file byte of piece {@code pieceIndex} exists (files long enough), so hashing can succeed. */
    boolean holdsAllOf(int pieceIndex) throws IOException {
        Target[] t = targets;
        for (FileSpan s : layout.spansOfPiece(pieceIndex)) {
            Target at = t[s.fileIndex()];
            if (at.channel() == null || at.channel().size() < at.base() + s.fileOffset() + s.lengthBytes()) {
                return false;
            }
        }
        return true;
    }

    /** Forces every open channel's data to the disk (not its metadata). */
    void force() throws IOException {
        for (Target t : targets) {
            if (t.channel() != null) {
                t.channel().force(false);
            }
        }
    }

    /**
     * The paths of the files that are on disk (not BEP 47 padding), and the parts file when it exists:
     * what resume data stamps.
     */
    List<Path> dataPaths() {
        List<Path> out = new ArrayList<>(paths.size() + 1);
        for (int i = 0; i < paths.size(); i++) {
            if (files.get(i).isData()) {
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
}
