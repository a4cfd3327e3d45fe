package io.kadtorrent.client.crash;

import io.kadtorrent.engine.storage.ResumeData;
import io.kadtorrent.engine.storage.TorrentPaths;
import io.kadtorrent.torrent.layout.FileSpan;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.BitSet;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a killed process left on disk, read the way the next start reads it: which files exist, whether
 * resume data parses, and whether every piece it calls verified really is on disk.
 */
public final class DiskState {

    private DiskState() {
    }

    /** The path (with '/') of every regular file below {@code root}, relative to it, sorted. */
    public static List<String> files(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString().replace(root.getFileSystem().getSeparator(), "/"))
                    .sorted().toList();
        }
    }

    /**
     * True for the temp file a save of some file (through {@code AtomicFile}) leaves when a kill cuts it off:
     * {@code .NAME<digits>.tmp}; allowed right after a kill, gone after the next start.
     */
    public static boolean isCutOffSave(String relativePath) {
        return relativePath.substring(relativePath.lastIndexOf('/') + 1).matches("\\..+[0-9]+\\.tmp");
    }

    /** Fails naming every file below {@code root} that {@code expected} does not allow. */
    public static void assertOnly(Path root, Predicate<String> expected, String when) throws IOException {
        List<String> stray = files(root).stream().filter(expected.negate()).toList();
        if (!stray.isEmpty()) {
            throw new AssertionError(when + ": unexpected files below " + root + ": " + stray);
        }
    }

    /**
     * The pieces {@code resumeFile} says are verified (none when it does not exist); fails when it exists
     * but does not parse, or names a piece whose bytes under {@code parentDir} do not match its hash.
     */
    public static BitSet claimedPieces(Path resumeFile, Metainfo m, Path parentDir, String when) throws IOException {
        if (!Files.exists(resumeFile)) {
            return new BitSet();
        }
        ResumeData resume = ResumeData.read(resumeFile, m.infoHash(), m.pieceCount())
                .orElseThrow(() -> new AssertionError(when + ": corrupt resume data " + resumeFile));
        BitSet claimed = resume.verified();
        BitSet wrong = (BitSet) claimed.clone();
        wrong.andNot(validPieces(m, parentDir));
        if (!wrong.isEmpty()) {
            throw new AssertionError(when + ": " + resumeFile.getFileName() + " claims pieces " + wrong
                    + " that are not on disk");
        }
        return claimed;
    }

    /** The pieces whose bytes under {@code parentDir} match their hash (what a re-check would find). */
    public static BitSet validPieces(Metainfo m, Path parentDir) throws IOException {
        List<Path> paths = TorrentPaths.resolve(m, parentDir);
        BitSet valid = new BitSet(m.pieceCount());
        MessageDigest sha1 = sha1();
        ByteBuffer buf = ByteBuffer.allocate(m.pieceLengthBytes());
        for (int i = 0; i < m.pieceCount(); i++) {
            if (pieceMatches(m, paths, i, sha1, buf)) {
                valid.set(i);
            }
        }
        return valid;
    }

    private static boolean pieceMatches(Metainfo m, List<Path> paths, int piece, MessageDigest sha1, ByteBuffer buf)
            throws IOException {
        buf.clear();
        for (FileSpan s : m.layout().spansOfPiece(piece)) {
            Path p = paths.get(s.fileIndex());
            if (!Files.exists(p) || Files.size(p) < s.fileOffset() + s.lengthBytes()) {
                return false;
            }
            try (FileChannel ch = FileChannel.open(p)) {
                buf.limit(buf.position() + s.lengthBytes());
                long at = s.fileOffset();
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, at);
                    if (n < 0) {
                        return false;
                    }
                    at += n;
                }
            }
        }
        buf.flip();
        sha1.reset();
        sha1.update(buf);
        return m.pieceHashMatches(piece, sha1.digest());
    }

    /** Bytes of the pieces in {@code pieces}. */
    public static long bytesOf(Metainfo m, BitSet pieces) {
        return pieces.stream().mapToLong(i -> m.layout().pieceSize(i)).sum();
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
