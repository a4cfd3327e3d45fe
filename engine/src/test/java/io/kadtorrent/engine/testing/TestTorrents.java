package io.kadtorrent.engine.testing;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Builds test torrents before the creator exists: writes files with seeded random content, hashes
 * them into BEP 3 pieces and parses the result with the real {@link MetainfoParser}.
 */
public final class TestTorrents {

    private TestTorrents() {
    }

    /** A named file of the torrent and its size. */
    public record TestFile(List<String> path, long sizeBytes) {
        public static TestFile of(long sizeBytes, String... path) {
            return new TestFile(List.of(path), sizeBytes);
        }
    }

    /** The usual awkward multi-file case: odd sizes, an empty file, pieces spanning files. */
    public static List<TestFile> awkwardFiles() {
        return List.of(
                TestFile.of(100_003, "a.bin"),
                TestFile.of(0, "empty.txt"),
                TestFile.of(37, "sub", "tiny.dat"),
                TestFile.of(250_001, "sub", "deeper", "big.bin"),
                TestFile.of(16_384, "z-exactly-one-block"));
    }

    /** Writes the files under {@code parentDir/name/...} and returns the parsed multi-file torrent. */
    public static Metainfo multiFile(Path parentDir, String name, List<TestFile> files, int pieceLength, long seed)
            throws IOException {
        Path root = parentDir.resolve(name);
        SplittableRandom random = new SplittableRandom(seed);
        List<Path> paths = new ArrayList<>();
        List<Object> fileList = new ArrayList<>();
        for (TestFile f : files) {
            Path p = root;
            for (String c : f.path()) {
                p = p.resolve(c);
            }
            Files.createDirectories(p.getParent());
            writeRandom(p, f.sizeBytes(), random);
            paths.add(p);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("length", f.sizeBytes());
            entry.put("path", new ArrayList<Object>(f.path()));
            fileList.add(entry);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", fileList);
        return build(info, name, pieceLength, paths);
    }

    /** A torrent whose info lists {@code unsafePath} verbatim (no data): for refusal tests. */
    public static byte[] withRawPath(String name, List<String> unsafePath, long length, int pieceLength) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("length", length);
        entry.put("path", new ArrayList<Object>(unsafePath));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("files", List.of(entry));
        info.put("name", name);
        info.put("piece length", (long) pieceLength);
        int pieces = (int) ((length + pieceLength - 1) / pieceLength);
        info.put("pieces", new byte[20 * Math.max(1, pieces)]);
        return BencodeCodec.encode(Map.of("info", RawBencode.of(BencodeCodec.encode(info))));
    }

    /** Writes one file at {@code parentDir/name} and returns the parsed single-file torrent. */
    public static Metainfo singleFile(Path parentDir, String name, long sizeBytes, int pieceLength, long seed)
            throws IOException {
        Path p = parentDir.resolve(name);
        Files.createDirectories(parentDir);
        writeRandom(p, sizeBytes, new SplittableRandom(seed));
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("length", sizeBytes);
        return build(info, name, pieceLength, List.of(p));
    }

    private static Metainfo build(Map<String, Object> info, String name, int pieceLength, List<Path> paths)
            throws IOException {
        info.put("name", name);
        info.put("piece length", (long) pieceLength);
        info.put("pieces", pieceHashes(paths, pieceLength));
        byte[] torrent = BencodeCodec.encode(Map.of("info", RawBencode.of(BencodeCodec.encode(info))));
        try {
            return MetainfoParser.parse(torrent);
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static byte[] pieceHashes(List<Path> paths, int pieceLength) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-1");
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[pieceLength];
            int filled = 0;
            for (Path p : paths) {
                try (var in = Files.newInputStream(p)) {
                    int n;
                    while ((n = in.read(buf, filled, pieceLength - filled)) > 0) {
                        filled += n;
                        if (filled == pieceLength) {
                            md.update(buf, 0, filled);
                            out.write(md.digest());
                            filled = 0;
                        }
                    }
                }
            }
            if (filled > 0) {
                md.update(buf, 0, filled);
                out.write(md.digest());
            }
            return out.toByteArray();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeRandom(Path p, long size, SplittableRandom random) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(p)) {
            long left = size;
            while (left > 0) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, left);
                out.write(chunk, 0, n);
                left -= n;
            }
        }
    }

    /** Asserts-friendly comparison: true when every file under {@code a} equals the one under {@code b}. */
    public static boolean sameTree(Path a, Path b) throws IOException {
        try (var walk = Files.walk(a)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path q = b.resolve(a.relativize(p).toString());
                if (Files.isRegularFile(p) && (!Files.isRegularFile(q) || Files.mismatch(p, q) != -1)) {
                    return false;
                }
            }
        }
        return true;
    }
}
