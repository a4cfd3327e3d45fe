package io.kadtorrent.engine.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps each file of a torrent to a path inside the output folder and refuses any that would land
 * outside it. The parser already rejects unsafe components; this checks again at the file system,
 * including symbolic links that already exist on the way (DESIGN: no path escapes the folder).
 */
public final class TorrentPaths {

    private TorrentPaths() {
    }

    /**
     * The paths of the torrent's files below {@code parentDir}: {@code parentDir/name} for a single
     * file, {@code parentDir/name/a/b} for a multi-file torrent. Touches nothing on disk.
     *
     * @throws IOException naming the file when a path escapes the folder
     */
    public static List<Path> resolve(Metainfo metainfo, Path parentDir) throws IOException {
        Path root = parentDir.toAbsolutePath().normalize();
        Path realRoot = Files.exists(root) ? root.toRealPath() : root;
        List<Path> out = new ArrayList<>();
        for (FileEntry f : metainfo.files()) {
            Path p = root.resolve(diskName(checked(metainfo.name())));
            if (!metainfo.isSingleFile()) {
                for (String c : f.path()) {
                    p = p.resolve(diskName(checked(c)));
                }
            }
            p = p.normalize();
            if (!p.startsWith(root) || p.equals(root)) {
                throw new IOException("refusing " + f.displayPath() + ": it would be written outside " + root);
            }
            checkExistingPartsStayInside(p, root, realRoot, f);
            out.add(p);
        }
        return out;
    }

    /** Longest file name common file systems take (ext4, XFS, btrfs: 255 bytes). */
    static final int MAX_NAME_BYTES = 255;

    /**
     * {@code component} as a file name the file system takes: as it is when it fits in
     * {@link #MAX_NAME_BYTES} bytes of UTF-8, else shortened the same way every time: a prefix, {@code ~},
     * 8 hex digits of the SHA-1 of the whole name (so two long names stay apart), and the extension.
     */
    static String diskName(String component) {
        byte[] utf8 = component.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_NAME_BYTES) {
            return component;
        }
        String hash;
        try {
            hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(utf8), 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
        int dot = component.lastIndexOf('.');
        String ext = dot > 0 && component.length() - dot <= 16 ? component.substring(dot) : "";
        String tail = "~" + hash + ext;
        int budget = MAX_NAME_BYTES - tail.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < component.length() - ext.length(); ) {
            int cp = component.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + n > budget) {
                break;
            }
            prefix.appendCodePoint(cp);
            used += n;
            i += Character.charCount(cp);
        }
        return prefix + tail;
    }

    private static String checked(String component) throws IOException {
        String problem = FileEntry.componentProblem(component);
        if (problem != null) {
            throw new IOException("unsafe path component \"" + component + "\": " + problem);
        }
        return component;
    }

    /** A symlink already inside the folder could point outside it: resolve what exists and check. */
    private static void checkExistingPartsStayInside(Path p, Path root, Path realRoot, FileEntry f)
            throws IOException {
        for (Path q = p; q != null && q.startsWith(root) && !q.equals(root); q = q.getParent()) {
            if (Files.exists(q, LinkOption.NOFOLLOW_LINKS)) {
                Path real = q.toRealPath();
                if (!real.startsWith(realRoot)) {
                    throw new IOException("refusing " + f.displayPath() + ": " + q + " leads outside " + root);
                }
                return; // the deepest existing part resolves inside; everything below is created by us
            }
        }
    }
}
