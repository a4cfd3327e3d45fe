package io.kadtorrent.client.interop;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs one of the interop scripts under {@code bench/} for an {@code interop}-tagged test. */
final class InteropScript {

    private InteropScript() {
    }

    /** Runs {@code bench/<path>} from the repository root; asserts it exits 0 in time and returns its output. */
    static String runPassing(String path, Duration timeout) throws Exception {
        Path script = Path.of("..", "bench").resolve(path).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(script), script + " missing");
        File log = Files.createTempFile("interop", ".log").toFile();
        Process p = new ProcessBuilder(script.toString()).redirectErrorStream(true).redirectOutput(log).start();
        try {
            assertTrue(p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS), script + " finished in time");
            String out = Files.readString(log.toPath(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            stop(p);
            log.delete();
        }
    }

    /**
     * Ends a script still running (it timed out): SIGTERM first, so its traps stop what it started, then
     * SIGKILL to it and whatever of its descendants is left.
     */
    private static void stop(Process p) throws InterruptedException {
        if (!p.isAlive()) {
            return;
        }
        var descendants = p.descendants().toList();
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
    }
}
