package io.kadtorrent.client.swarm;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/wire/interop.sh} (our get from a libtorrent seeder, libtorrent get from our
 * seeder, both copies diffed) under {@code mvn -Pinterop}. The script installs python3-libtorrent
 * when missing and builds the jar when it is not there yet.
 */
@Tag("interop")
class LibtorrentInteropIT {

    @Test
    void libtorrentAndKadtorrentDownloadFromEachOther() throws Exception {
        Path script = Path.of("..", "bench", "wire", "interop.sh").toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(script), script + " missing");
        File log = Files.createTempFile("interop", ".log").toFile();
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            assertTrue(p.waitFor(15, TimeUnit.MINUTES), "interop.sh finished in time");
            String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.contains("interop: PASS"), out);
        } finally {
            p.destroyForcibly();
            log.delete();
        }
    }
}
