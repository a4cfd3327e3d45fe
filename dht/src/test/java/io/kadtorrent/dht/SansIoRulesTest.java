package io.kadtorrent.dht;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core packages stay sans-I/O (DESIGN.md): time and randomness come in as arguments, bytes go out through Transport. */
class SansIoRulesTest {

    private static final Path SOURCES = Path.of("src/main/java/io/kadtorrent/dht");
    private static final List<String> CORE = List.of("engine", "routing", "lookup", "rpc", "peers", "items", "krpc", "id");
    private static final Pattern FORBIDDEN = Pattern.compile(
            "io\\.netty|java\\.net\\.(Socket|ServerSocket|DatagramSocket)|java\\.nio\\.channels|currentTimeMillis"
                    + "|nanoTime|Instant\\.now|ThreadLocalRandom|java\\.time\\.Clock|io\\.kadtorrent\\.dht\\.node"
                    + "|new Thread|Executor");

    @Test
    void corePackagesReadNoClockAndTouchNoSocketOrThread() throws IOException {
        assertTrue(Files.isDirectory(SOURCES), "run from the dht module: " + SOURCES.toAbsolutePath());
        List<String> offences;
        try (Stream<Path> files = CORE.stream().map(SOURCES::resolve).flatMap(SansIoRulesTest::javaFiles)) {
            offences = files.flatMap(SansIoRulesTest::offendingLines).toList();
        }
        assertEquals(List.of(), offences);
    }

    private static Stream<Path> javaFiles(Path dir) {
        try {
            return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<String> offendingLines(Path file) {
        try {
            return Files.readAllLines(file).stream().filter(l -> FORBIDDEN.matcher(l).find()).map(l -> file + ": " + l.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
