package io.kadtorrent.metadata.client;

import com.google.common.io.BaseEncoding;
import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.signing.PublisherKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The publisher keys this user has accepted, per metadata server and torrent name (trust on
 * first use, like SSH's {@code known_hosts}). One line per entry, oldest first:
 * <pre>
 * # comment
 * 127.0.0.1:6880 ubuntu 24.04.iso 3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c
 * </pre>
 * The server ({@code host:port}, lower case) is the first word and the key (64 hex) the last;
 * the name is everything between, with {@code %}, control characters and DEL written as
 * {@code %XX}. Lines that do not parse are skipped with a warning (and dropped on the next
 * write): the file is input like any other. At most {@link #MAX_ENTRIES} entries (the oldest
 * go first) and {@link #MAX_FILE_BYTES} are read. Every change re-reads the file under a lock
 * and replaces it atomically (temp file, fsync, rename), so concurrent clients lose nothing.
 */
public final class KnownPublishers {

    private static final Logger log = LoggerFactory.getLogger(KnownPublishers.class);

    public static final String FILE_NAME = "known_publishers";
    /** Most entries kept; a new one beyond this pushes out the oldest. */
    public static final int MAX_ENTRIES = 10_000;
    /** Most bytes read: 10,000 entries of typical names fit several times over. */
    static final int MAX_FILE_BYTES = 4 << 20;
    private static final BaseEncoding HEX = BaseEncoding.base16().lowerCase();

    /** Where a server's name lives in the map. */
    private record Entry(String server, String name) {
    }

    private final Path file;

    private KnownPublishers(Path file) {
        this.file = file;
    }

    /** The known publishers kept in {@code file} (which need not exist yet). */
    public static KnownPublishers at(Path file) {
        return new KnownPublishers(file.toAbsolutePath());
    }

    /** The known publishers at {@link #defaultFile()}. */
    public static KnownPublishers atDefaultLocation() {
        return at(defaultFile());
    }

    /**
     * {@code $XDG_STATE_HOME/kadtorrent/known_publishers} when XDG_STATE_HOME is set to an absolute
     * path (XDG Base Directory spec), else {@code ~/.local/state/kadtorrent/known_publishers}.
     */
    public static Path defaultFile() {
        return defaultFile(System.getenv(), Path.of(System.getProperty("user.home")));
    }

    static Path defaultFile(Map<String, String> env, Path home) {
        String state = env.get("XDG_STATE_HOME");
        // XDG: a relative path in the variable is invalid and must be ignored.
        Path base = state != null && !state.isEmpty() && Path.of(state).isAbsolute()
                ? Path.of(state) : home.resolve(".local").resolve("state");
        return base.resolve("kadtorrent").resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The key remembered for {@code name} on {@code server}, if any. */
    public Optional<PublisherKey> lookup(HostAndPort server, String name) throws IOException {
        return Optional.ofNullable(read().get(new Entry(serverId(server), name)));
    }

    /** Remembers (or replaces) the key of {@code name} on {@code server}, durably. */
    public void remember(HostAndPort server, String name, PublisherKey key) throws IOException {
        Files.createDirectories(file.getParent());
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        // The file lock keeps other processes out; it cannot be taken twice in one JVM
        // (OverlappingFileLockException), so threads here queue on the class first.
        synchronized (KnownPublishers.class) {
            try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = lockChannel.lock()) {
                update(server, name, key);
            }
        }
    }

    /** Re-reads, changes and rewrites the file; the caller holds the locks. */
    private void update(HostAndPort server, String name, PublisherKey key) throws IOException {
        Map<Entry, PublisherKey> entries = read();
        Entry e = new Entry(serverId(server), name);
        entries.remove(e); // re-inserted last: the newest entry is the last to be pushed out
        entries.put(e, key);
        Iterator<Entry> oldest = entries.keySet().iterator();
        while (entries.size() > MAX_ENTRIES) {
            oldest.next();
            oldest.remove();
        }
        write(entries);
    }

    /** {@code host:port} in lower case: the same server however the user typed its name. */
    static String serverId(HostAndPort server) {
        if (!server.hasPort()) {
            throw new IllegalArgumentException("server needs a port: " + server);
        }
        return server.toString().toLowerCase(Locale.ROOT);
    }

    private Map<Entry, PublisherKey> read() throws IOException {
        Map<Entry, PublisherKey> out = new LinkedHashMap<>();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES);
            if (in.read() >= 0) {
                log.warn("{} is larger than {} bytes; reading only its start", file, MAX_FILE_BYTES);
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        String[] lines = new String(bytes, UTF_8).split("\n", -1);
        int skipped = 0;
        int firstSkipped = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            if (line.isBlank() || line.startsWith("#") || (i == lines.length - 1 && bytes.length == MAX_FILE_BYTES)) {
                continue; // blank, comment, or a last line cut by the size cap
            }
            int firstSpace = line.indexOf(' ');
            int lastSpace = line.lastIndexOf(' ');
            String hex = line.substring(lastSpace + 1);
            Optional<String> name = firstSpace > 0 && lastSpace > firstSpace
                    ? unescape(line.substring(firstSpace + 1, lastSpace)) : Optional.empty();
            if (name.isEmpty() || name.get().isEmpty() || hex.length() != PublisherKey.LENGTH * 2 || !HEX.canDecode(hex)) {
                if (skipped++ == 0) {
                    firstSkipped = i + 1;
                }
                continue;
            }
            out.remove(new Entry(line.substring(0, firstSpace), name.get()));
            out.put(new Entry(line.substring(0, firstSpace), name.get()), PublisherKey.of(HEX.decode(hex)));
        }
        if (skipped > 0) {
            // One warning, not one per line: a garbled file can have thousands.
            log.warn("{}: ignoring {} line(s) that are not 'server name key-hex' (the first is line {})",
                    file, skipped, firstSkipped);
        }
        return out;
    }

    private void write(Map<Entry, PublisherKey> entries) throws IOException {
        StringBuilder text = new StringBuilder("# kadtorrent known publishers: server name key (see docs/metadata-protocol.md)\n");
        entries.forEach((e, k) -> text.append(e.server()).append(' ').append(escape(e.name())).append(' ')
                .append(k.hex()).append('\n'));
        Path temp = Files.createTempFile(file.getParent(), FILE_NAME, ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(text.toString().getBytes(UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true); // on disk before the rename makes it the file
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** {@code %}, control characters and DEL as {@code %XX}, so a name is one line and round-trips. */
    static String escape(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toCharArray()) {
            if (c == '%' || c < 0x20 || c == 0x7f) {
                out.append('%').append(HEX.encode(new byte[] {(byte) c}));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The inverse of {@link #escape}; empty when the text is not what it writes. */
    static Optional<String> unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return Optional.empty();
            }
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 3 > text.length()) {
                return Optional.empty();
            }
            String hex = text.substring(i + 1, i + 3).toLowerCase(Locale.ROOT);
            if (!HEX.canDecode(hex)) {
                return Optional.empty();
            }
            out.append((char) (HEX.decode(hex)[0] & 0xff));
            i += 2;
        }
        return Optional.of(out.toString());
    }
}
