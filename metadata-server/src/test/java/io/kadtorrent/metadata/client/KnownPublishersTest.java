package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KnownPublishersTest {

    @TempDir
    Path dir;

    private static final HostAndPort SERVER = HostAndPort.fromParts("Meta.Example", 6880);
    private final PublisherKey a = SigningKey.generate(new SecureRandom()).publicKey();
    private final PublisherKey b = SigningKey.generate(new SecureRandom()).publicKey();

    @Test
    void defaultFileFollowsXdgStateHomeElseLocalState() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/state/kadtorrent/known_publishers"),
                KnownPublishers.defaultFile(Map.of("XDG_STATE_HOME", "/state"), home));
        assertEquals(Path.of("/home/u/.local/state/kadtorrent/known_publishers"), KnownPublishers.defaultFile(Map.of(), home));
        // XDG: relative or empty values are ignored.
        assertEquals(Path.of("/home/u/.local/state/kadtorrent/known_publishers"),
                KnownPublishers.defaultFile(Map.of("XDG_STATE_HOME", "state"), home));
        assertEquals(Path.of("/home/u/.local/state/kadtorrent/known_publishers"),
                KnownPublishers.defaultFile(Map.of("XDG_STATE_HOME", ""), home));
    }

    @Test
    void remembersPerServerAndNameAcrossInstancesAndReplaces() throws Exception {
        Path file = dir.resolve("state/kadtorrent/known_publishers");
        KnownPublishers known = KnownPublishers.at(file);
        assertEquals(Optional.empty(), known.lookup(SERVER, "movie.mkv"));
        known.remember(SERVER, "movie.mkv", a);
        known.remember(SERVER, "other", b);
        KnownPublishers reread = KnownPublishers.at(file);
        assertEquals(Optional.of(a), reread.lookup(HostAndPort.fromParts("meta.example", 6880), "movie.mkv"));
        assertEquals(Optional.empty(), reread.lookup(HostAndPort.fromParts("meta.example", 6881), "movie.mkv"));
        assertEquals(Optional.empty(), reread.lookup(SERVER, "Movie.mkv"));
        reread.remember(SERVER, "movie.mkv", b);
        assertEquals(Optional.of(b), known.lookup(SERVER, "movie.mkv"));
        assertEquals(2, entryLines(file).size());
        assertTrue(entryLines(file).contains("meta.example:6880 movie.mkv " + b.hex()), entryLines(file).toString());
        try (Stream<Path> files = Files.list(file.getParent())) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")));
        }
    }

    @Test
    void namesWithSpacesPercentSignsAndNewlinesRoundTripOnOneLine() throws Exception {
        Path file = dir.resolve("known_publishers");
        KnownPublishers known = KnownPublishers.at(file);
        List<String> names = List.of(" two  spaces ", "100% real", "line\nbreak\r", "tab\there", "ünï €");
        for (String name : names) {
            known.remember(SERVER, name, a);
        }
        assertEquals(names.size(), entryLines(file).size());
        for (String name : names) {
            assertEquals(Optional.of(a), KnownPublishers.at(file).lookup(SERVER, name), name);
        }
        assertEquals(Optional.empty(), known.lookup(SERVER, "100%25 real"));
    }

    @Test
    void garbageLinesAreSkippedAndDroppedOnTheNextWrite() throws Exception {
        Path file = dir.resolve("known_publishers");
        String good = "meta.example:6880 movie.mkv " + a.hex();
        Files.write(file, String.join("\n",
                "# a comment",
                "",
                "\u0000\u0001\u00ff binary junk",
                "meta.example:6880 movie.mkv",                           // no key
                "meta.example:6880 short-key " + a.hex().substring(2),
                "meta.example:6880 not-hex " + "zz".repeat(32),
                " leading-space " + a.hex(),                               // no server
                "meta.example:6880 bad%zzescape " + a.hex(),
                "meta.example:6880 cut%4 " + a.hex(),
                "meta.example:6880 " + a.hex(),                            // no name
                good,
                "x".repeat(100_000)).getBytes(UTF_8));
        KnownPublishers known = KnownPublishers.at(file);
        assertEquals(Optional.of(a), known.lookup(SERVER, "movie.mkv"));
        known.remember(SERVER, "new", b);
        assertEquals(List.of(good, "meta.example:6880 new " + b.hex()), entryLines(file));
    }

    @Test
    void binaryFileAndOversizedFileNeverThrow() throws Exception {
        Path file = dir.resolve("known_publishers");
        byte[] junk = new byte[KnownPublishers.MAX_FILE_BYTES + 1000];
        new SecureRandom().nextBytes(junk);
        Files.write(file, junk);
        KnownPublishers known = KnownPublishers.at(file);
        assertEquals(Optional.empty(), known.lookup(SERVER, "x"));
        known.remember(SERVER, "x", a);
        assertEquals(Optional.of(a), known.lookup(SERVER, "x"));
    }

    @Test
    void theOldestEntriesGoFirstBeyondTheCap() throws Exception {
        Path file = dir.resolve("known_publishers");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < KnownPublishers.MAX_ENTRIES; i++) {
            text.append("meta.example:6880 name-").append(i).append(' ').append(a.hex()).append('\n');
        }
        Files.writeString(file, text, UTF_8);
        KnownPublishers known = KnownPublishers.at(file);
        known.remember(SERVER, "newest", b);
        assertEquals(KnownPublishers.MAX_ENTRIES, entryLines(file).size());
        assertEquals(Optional.empty(), known.lookup(SERVER, "name-0"));
        assertEquals(Optional.of(a), known.lookup(SERVER, "name-1"));
        assertEquals(Optional.of(b), known.lookup(SERVER, "newest"));
    }

    @Test
    void concurrentRemembersInOneProcessLoseNothing() throws Exception {
        Path file = dir.resolve("known_publishers");
        int threads = 4;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        KnownPublishers.at(file).remember(SERVER, "t" + id + "-" + i, a);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(threads * each, entryLines(file).size());
    }

    @Test
    void escapingIsReversibleAndKeepsOrdinaryTextAsIs() {
        assertEquals("plain name.iso", KnownPublishers.escape("plain name.iso"));
        assertEquals("a%25b%0ac%7f", KnownPublishers.escape("a%b\nc\u007f"));
        assertEquals(Optional.of("a%b\nc\u007f"), KnownPublishers.unescape("a%25b%0ac%7f"));
        assertFalse(KnownPublishers.unescape("a\tb").isPresent());
    }

    private static List<String> entryLines(Path file) throws Exception {
        return Files.readAllLines(file, UTF_8).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
    }
}
