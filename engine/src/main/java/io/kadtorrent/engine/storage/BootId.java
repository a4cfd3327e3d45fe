package io.kadtorrent.engine.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This boot of the machine, as Linux names it ({@code /proc/sys/kernel/random/boot_id}). Data written
 * but not yet forced to disk survives a crash of our process in the page cache, but not a reboot: resume
 * data taken without forcing the files is trusted only within the boot that wrote it.
 */
final class BootId {

    private static final Path FILE = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Optional<String> CURRENT = read(FILE);

    private BootId() {
    }

    /** The current boot's id; empty where the system does not tell (then every save must be forced). */
    static Optional<String> current() {
        return CURRENT;
    }

    static Optional<String> read(Path file) {
        try {
            String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return id.isEmpty() || id.length() > 64 ? Optional.empty() : Optional.of(id);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
