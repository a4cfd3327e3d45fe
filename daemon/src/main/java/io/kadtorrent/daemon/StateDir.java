package io.kadtorrent.daemon;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.torrent.fs.AtomicFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's state folder. Everything the daemon needs to come back after a restart or a crash lives
 * here, and every file is replaced atomically (a crash leaves the old or the new version, never a torn one):
 * <pre>
 * DIR/token                  the API token (mode 600), created once
 * DIR/daemon.json            where the running daemon listens (written after binding, removed on exit)
 * DIR/lock                   held while a daemon runs on DIR
 * DIR/settings.json          the daemon's settings (flags given once are kept for the next start)
 * DIR/dht.state              the DHT routing table
 * DIR/pointers.json          the catalog pointers the daemon puts again ({@link CatalogPointers})
 * DIR/summaries.json         each complete torrent's {@link TorrentSummary}, for a restart that reads no .torrent
 * DIR/resume/HASH.resume     which pieces are verified (the engine's resume data)
 * DIR/torrents/HASH.json     one {@link TorrentEntry} per torrent     ({@link TorrentsFolder})
 * DIR/torrents/HASH.torrent  its metainfo, once known
 * </pre>
 */
public final class StateDir implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StateDir.class);
    static final String TOKEN = "token";
    static final String ENDPOINT = "daemon.json";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final int TOKEN_BYTES = 32;
    static final long MAX_STATE_FILE_BYTES = 64L << 20; // a .torrent may be large; nothing else is
    private static final String POINTERS = "pointers.json";
    private static final String SUMMARIES = "summaries.json";
    private static final long MAX_POINTERS_FILE_BYTES = 1L << 20; // 256 pointers of about 1.5 KiB of hex

    private final Path dir;
    private final TorrentsFolder torrents;
    private final ObjectMapper json;
    private FileChannel lockChannel;
    private FileLock lock;

    private StateDir(Path dir, ObjectMapper json) {
        this.dir = dir;
        this.torrents = new TorrentsFolder(dir.resolve("torrents"), resumeDir(), json);
        this.json = json;
    }

    /**
     * Opens (creating it, private to the user) the state folder and takes its lock; fails when another
     * daemon holds it.
     */
    public static StateDir open(Path dir, ObjectMapper json) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException("state folder " + dir + " is a file, not a folder");
        }
        Files.createDirectories(abs.resolve("torrents"));
        restrict(abs, PosixFilePermissions.fromString("rwx------"));
        StateDir state = new StateDir(abs, json);
        state.lock();
        // ours alone now: what saves cut off by a crash left goes (each save is a temp file renamed into place)
        int leftovers = AtomicFile.deleteLeftoversIn(abs) + AtomicFile.deleteLeftoversIn(abs.resolve("torrents"))
                + AtomicFile.deleteLeftoversIn(state.resumeDir());
        if (leftovers > 0) {
            log.info("deleted {} temp file(s) of interrupted saves in {}", leftovers, abs);
        }
        return state;
    }

    private void lock() throws IOException {
        lockChannel = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            lock = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another kadtorrent daemon is running on " + dir
                    + " (its address is in " + dir.resolve(ENDPOINT) + ")");
        }
    }

    public Path path() {
        return dir;
    }

    public Path resumeDir() {
        return dir.resolve("resume");
    }

    /** The entry and the .torrent of each torrent. */
    public TorrentsFolder torrents() {
        return torrents;
    }

    /** Every entry that reads back whole ({@link TorrentsFolder#entries()}). */
    public List<TorrentEntry> entries() throws IOException {
        return torrents.entries();
    }

    public Path dhtStateFile() {
        return dir.resolve("dht.state");
    }

    /** The API token, created (32 random bytes, hex, mode 600) on first use. */
    public String token() throws IOException {
        return readOrCreateToken(dir);
    }

    /** The token in {@code dir}, created when missing; a token file others can read is made private again. */
    public static String readOrCreateToken(Path dir) throws IOException {
        Path file = dir.resolve(TOKEN);
        if (Files.exists(file)) {
            restrict(file, OWNER_ONLY);
            String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (token.length() >= 32 && token.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return token;
            }
            log.warn("the token in {} is malformed; writing a new one", file);
        }
        byte[] random = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        AtomicFile.writePrivate(file, (token + "\n").getBytes(StandardCharsets.US_ASCII));
        return token;
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            if (!Files.getPosixFilePermissions(path).equals(permissions)) {
                Files.setPosixFilePermissions(path, permissions);
            }
        } catch (UnsupportedOperationException notPosix) {
            // a file system without POSIX permissions: nothing to narrow
        }
    }

    /** Records where the daemon listens, for the CLI; private, since it sits beside the token. */
    public void writeEndpoint(DaemonEndpoint endpoint) throws IOException {
        AtomicFile.writePrivate(dir.resolve(ENDPOINT), json.writeValueAsBytes(endpoint));
    }

    public void removeEndpoint() throws IOException {
        Files.deleteIfExists(dir.resolve(ENDPOINT));
    }

    /**
     * The settings saved in the state folder {@code dir} ({@code option -> value}, as strings), empty when
     * none or unreadable; read before a daemon takes the folder, so its flags can default to them.
     */
    public static java.util.Map<String, String> readSettings(Path dir) {
        Path file = dir.resolve("settings.json");
        if (!Files.exists(file)) {
            return java.util.Map.of();
        }
        // Jackson's streaming parser, not an ObjectMapper: the daemon reads this before anything else, and a
        // first ObjectMapper costs a cold JVM about 0.1 s (bench/RESULTS.md, daemon)
        try (JsonParser p = new JsonFactory().createParser(readAtMost(file, 1 << 20))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            java.util.Map<String, String> out = new java.util.TreeMap<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                if (t != JsonToken.FIELD_NAME) { // null: the file ends inside the object
                    throw new IOException("not a whole JSON object");
                }
                String key = p.currentName();
                JsonToken value = p.nextToken();
                if (value == null) {
                    throw new IOException("not a whole JSON object");
                } else if (value == JsonToken.VALUE_STRING) {
                    out.put(key, p.getText());
                } else {
                    p.skipChildren(); // only text values are settings
                }
            }
            return out;
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: {}", file, e.getMessage());
            return java.util.Map.of();
        }
    }

    public void saveSettings(java.util.Map<String, String> settings) throws IOException {
        AtomicFile.write(dir.resolve("settings.json"), json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(new java.util.TreeMap<>(settings)));
    }

    /** The session's rate limits {upload, download} in bytes per second (0: unlimited), as last saved. */
    public long[] readLimits() {
        Path file = dir.resolve("limits.json");
        try {
            if (!Files.exists(file) || Files.size(file) > 4096) {
                return new long[2];
            }
            var node = json.readTree(file.toFile());
            return new long[] {Math.max(0, node.path("upload_bytes_per_second").asLong()),
                    Math.max(0, node.path("download_bytes_per_second").asLong())};
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: {}", file, e.getMessage());
            return new long[2];
        }
    }

    public void saveLimits(long upload, long download) throws IOException {
        AtomicFile.write(dir.resolve("limits.json"), json.writeValueAsBytes(java.util.Map.of(
                "upload_bytes_per_second", upload, "download_bytes_per_second", download)));
    }

    /** The seeding limits and queue sizes as last saved ({@link SeedingPolicy#NONE} when none or unreadable). */
    public SeedingPolicy readPolicy() {
        Path file = dir.resolve("policy.json");
        try {
            if (!Files.exists(file) || Files.size(file) > 4096) {
                return SeedingPolicy.NONE;
            }
            return json.readValue(file.toFile(), SeedingPolicy.class);
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: {}", file, e.getMessage());
            return SeedingPolicy.NONE;
        }
    }

    public void savePolicy(SeedingPolicy policy) throws IOException {
        AtomicFile.write(dir.resolve("policy.json"), json.writeValueAsBytes(policy));
    }

    /** The catalog pointers the daemon keeps alive, as last saved (none when none or unreadable). */
    public List<KeptPointer> readPointers() {
        Path file = dir.resolve(POINTERS);
        try {
            if (!Files.exists(file)) {
                return List.of();
            }
            if (Files.size(file) > MAX_POINTERS_FILE_BYTES) {
                throw new IOException("larger than " + MAX_POINTERS_FILE_BYTES + " bytes");
            }
            return List.copyOf(json.readValue(file.toFile(), new TypeReference<List<KeptPointer>>() { }));
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: {}", file, e.getMessage());
            return List.of();
        }
    }

    public void savePointers(List<KeptPointer> pointers) throws IOException {
        AtomicFile.write(dir.resolve(POINTERS), json.writerWithDefaultPrettyPrinter().writeValueAsBytes(pointers));
    }

    /**
     * The summaries of complete torrents by hex info_hash, as last saved; none when missing or unreadable (the
     * torrents then start at once after a restart, as without summaries).
     */
    public Map<String, TorrentSummary> readSummaries() {
        Path file = dir.resolve(SUMMARIES);
        try {
            return json.readValue(readAtMost(file, MAX_STATE_FILE_BYTES),
                    new TypeReference<Map<String, TorrentSummary>>() { });
        } catch (NoSuchFileException none) {
            return Map.of();
        } catch (IOException | RuntimeException e) {
            log.warn("ignoring {}: {}", file, e.getMessage());
            return Map.of();
        }
    }

    public void saveSummaries(Map<String, TorrentSummary> summaries) throws IOException {
        AtomicFile.write(dir.resolve(SUMMARIES), json.writeValueAsBytes(summaries));
    }

    /** The whole of {@code file}, opened once (no stat by name first); refused when it is longer than {@code max} bytes. */
    static byte[] readAtMost(Path file, long max) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) max + 1);
            if (bytes.length > max) {
                throw new IOException(file + " is larger than " + max + " bytes");
            }
            return bytes;
        }
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.release();
        }
        if (lockChannel != null) {
            lockChannel.close();
        }
    }
}
