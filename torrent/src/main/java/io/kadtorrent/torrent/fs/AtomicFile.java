package io.kadtorrent.torrent.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.LinkOption;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Replaces a file so that a crash leaves either the old or the new content, never a torn file:
 * the bytes go to a temp file in the target's folder, are forced to disk, and the temp file is
 * renamed over the target (DESIGN: "atomic writes for anything that must survive a crash"). A caller
 * that can tolerate losing the file in a power failure (never a torn one) may skip the force.
 */
public final class AtomicFile {

    private static final String TEMP_SUFFIX = ".tmp";
    /** What {@link Files#createTempFile} makes of our prefix {@code .NAME}: {@code .NAME<digits>.tmp}. */
    private static final Pattern ANY_TEMP = Pattern.compile("\\..+?[0-9]+\\.tmp");

    private AtomicFile() {
    }

    /**
     * Deletes the temp files that writes of {@code target} cut off by a crash (kill -9, power loss) left in its
     * folder, and returns how many; the rename never happened, so they hold nothing anyone needs. Only for the
     * target's one writer, before it writes: a temp file of a write still running would go too.
     */
    public static int deleteLeftovers(Path target) throws IOException {
        Path absolute = target.toAbsolutePath();
        String prefix = "." + absolute.getFileName();
        return deleteTemps(absolute.getParent(), name -> name.startsWith(prefix)
                && name.length() > prefix.length() + TEMP_SUFFIX.length()
                && name.substring(prefix.length(), name.length() - TEMP_SUFFIX.length()).chars().allMatch(Character::isDigit));
    }

    /**
     * As {@link #deleteLeftovers} for every file in {@code folder}: for a folder that only one process
     * writes (one that holds a lock on it), when it starts.
     */
    public static int deleteLeftoversIn(Path folder) throws IOException {
        return deleteTemps(folder.toAbsolutePath(), name -> ANY_TEMP.matcher(name).matches());
    }

    private static int deleteTemps(Path folder, Predicate<String> ours) throws IOException {
        if (folder == null || !Files.isDirectory(folder)) {
            return 0;
        }
        int deleted = 0;
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(folder, ".*" + TEMP_SUFFIX)) {
            for (Path t : temps) {
                if (ours.test(t.getFileName().toString()) && Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)
                        && Files.deleteIfExists(t)) {
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** Writes {@code bytes} to {@code target} atomically and durably; the target's folder must exist. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, bytes, true);
    }

    /**
     * Writes {@code bytes} to {@code target} atomically; with {@code force} false the bytes are not forced
     * to disk first, so after a power failure the target may hold the old content or be gone, but a process
     * crash still leaves the old or the new content whole.
     */
    public static void write(Path target, byte[] bytes, boolean force) throws IOException {
        write(target, bytes, force, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * Writes {@code bytes} to {@code target} atomically and durably, readable by the owner only (where the file
     * system has permissions): the temp file is private from its creation, so a secret is never readable by others.
     */
    public static void writePrivate(Path target, byte[] bytes) throws IOException {
        write(target, bytes, true, PosixFilePermissions.fromString("rw-------"));
    }

    private static void write(Path target, byte[] bytes, boolean force,
                              java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions)
            throws IOException {
        Path absolute = target.toAbsolutePath();
        Path folder = absolute.getParent();
        if (!Files.isDirectory(folder)) {
            throw new NoSuchFileException(folder.toString(), null, "folder does not exist");
        }
        Path temp = Files.createTempFile(folder, "." + absolute.getFileName(), TEMP_SUFFIX); // created private
        try {
            if (Files.getFileStore(temp).supportsFileAttributeView(PosixFileAttributeView.class)) {
                // the result should be as readable as the caller asks (any file the user writes, or a secret)
                Files.setPosixFilePermissions(temp, permissions);
            }
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                if (force) {
                    out.force(true); // on disk before the rename can make it visible
                }
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
