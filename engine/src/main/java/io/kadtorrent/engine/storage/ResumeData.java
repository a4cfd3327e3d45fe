package io.kadtorrent.engine.storage;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeDict;
import io.kadtorrent.torrent.bencode.BencodeFieldException;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.fs.AtomicFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a download had verified when it last saved: the size and mtime of every file, the verified
 * pieces, and, when the files were not forced to disk before the save, the boot it was taken in. If
 * every file still has the recorded size and mtime (and the machine has not rebooted since an unforced
 * save), the pieces are trusted without re-hashing (fast path); otherwise the store re-hashes (slow
 * path). Stored as a bencoded dict:
 * {@code {info_hash: 20 bytes, files: [[size, mtime ms], ...], pieces: bitfield[, boot_id: string]}}.
 */
public record ResumeData(InfoHash infoHash, List<FileStamp> files, BitSet verified, Optional<String> bootId) {

    private static final BencodeLimits LIMITS = BencodeLimits.of(64 << 20, 8, 4_000_000);

    /** One file's size and last-modified time as seen when the resume data was taken. */
    public record FileStamp(long sizeBytes, long mtimeMillis) {
        static FileStamp of(Path p) throws IOException {
            if (!Files.exists(p)) {
                return new FileStamp(-1, -1);
            }
            return new FileStamp(Files.size(p), Files.getLastModifiedTime(p).toMillis());
        }
    }

    public ResumeData {
        Objects.requireNonNull(bootId, "bootId");
        files = List.copyOf(files);
        verified = (BitSet) verified.clone();
    }

    @Override
    public BitSet verified() {
        return (BitSet) verified.clone();
    }

    /** Stamps the files as they are now. */
    public static List<FileStamp> stamp(List<Path> paths) throws IOException {
        List<FileStamp> out = new ArrayList<>(paths.size());
        for (Path p : paths) {
            out.add(FileStamp.of(p));
        }
        return out;
    }

    /**
     * True when every file still has the recorded size and mtime and, for an unforced save, the machine
     * is still in the boot {@code currentBoot} that took it.
     */
    public boolean matches(List<Path> paths, Optional<String> currentBoot) throws IOException {
        boolean sameBoot = bootId.isEmpty() || bootId.equals(currentBoot);
        return sameBoot && stamp(paths).equals(files);
    }

    /**
     * True when this resume data alone says the torrent is complete: all {@code pieceCount} pieces verified, and
     * taken in the current boot unless it was forced to disk. The files' sizes and mtimes are not looked at here
     * (that needs the file list); opening the store checks them and re-hashes if they changed.
     */
    public boolean claimsComplete(int pieceCount) {
        boolean sameBoot = bootId.isEmpty() || bootId.equals(BootId.current());
        return sameBoot && verified.cardinality() == pieceCount;
    }

    /**
     * Writes to a temporary file beside {@code file} and renames it into place; forced to disk first
     * when the data it describes was (no boot id), since then it must survive a power failure too.
     */
    public void writeAtomically(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        AtomicFile.write(file, encode(), bootId.isEmpty());
    }

    /** Reads resume data; empty when the file is missing, unreadable or for another torrent. */
    public static Optional<ResumeData> read(Path file, InfoHash expected, int pieceCount) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            ResumeData r = decode(Files.readAllBytes(file), pieceCount);
            return r.infoHash.equals(expected) ? Optional.of(r) : Optional.empty();
        } catch (IOException | InvalidBencodeException | BencodeFieldException | RuntimeException e) {
            return Optional.empty(); // a damaged resume file only costs a re-hash
        }
    }

    byte[] encode() {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info_hash", infoHash.bytes());
        top.put("files", files.stream().map(f -> List.of(f.sizeBytes(), f.mtimeMillis())).toList());
        top.put("pieces", verified.toByteArray());
        bootId.ifPresent(id -> top.put("boot_id", id));
        return BencodeCodec.encode(top);
    }

    @SuppressWarnings("unchecked")
    static ResumeData decode(byte[] bytes, int pieceCount) throws InvalidBencodeException, BencodeFieldException {
        BencodeDict d = BencodeCodec.decodeDictionary(bytes, LIMITS).dict();
        List<FileStamp> files = new ArrayList<>();
        for (Object o : d.list("files")) {
            List<Object> pair = (List<Object>) o;
            files.add(new FileStamp((Long) pair.get(0), (Long) pair.get(1)));
        }
        BitSet bits = BitSet.valueOf(d.bytes("pieces"));
        if (bits.length() > pieceCount) {
            throw new IllegalArgumentException("resume data names piece " + (bits.length() - 1));
        }
        Optional<String> boot = Optional.ofNullable(d.utf8OrNull("boot_id"));
        return new ResumeData(InfoHash.of(d.bytes("info_hash")), files, bits, boot);
    }
}
