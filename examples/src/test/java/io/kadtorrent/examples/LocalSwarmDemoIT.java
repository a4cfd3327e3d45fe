package io.kadtorrent.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's main command, {@code examples/local-swarm.sh}, as a user would (smaller data and
 * fewer clients) and checks its outcome: every process it starts is real, everything binds to
 * 127.0.0.1, and the script exits 0 only when every copy is byte-identical.
 */
class LocalSwarmDemoIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final long LIMIT_SECONDS = 300;

    @Test
    void demoSwarmCompletesWithByteIdenticalCopiesAfterTheSeederLeaves() throws Exception {
        Path log = Files.createTempFile("local-swarm", ".log");
        Process demo = new ProcessBuilder("bash", ROOT.resolve("examples/local-swarm.sh").toString(),
                "--clients", "2", "--size-mib", "6")
                .directory(ROOT.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            boolean finished = demo.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(finished, "demo did not finish within " + LIMIT_SECONDS + " s:\n" + output);
            assertEquals(0, demo.exitValue(), "demo failed:\n" + output);
            assertTrue(output.contains("all 3 copies are byte-identical"), output);
            assertTrue(output.matches("(?s).*client3 +\\d+ +[0-9.]+ +yes.*"), output);
        } finally {
            stop(demo);
            Files.deleteIfExists(log);
        }
    }

    /** Stops the script and anything it started, if a failure left them running. */
    private static void stop(Process p) throws IOException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
