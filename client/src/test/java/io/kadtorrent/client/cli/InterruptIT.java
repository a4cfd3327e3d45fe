package io.kadtorrent.client.cli;

import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Ctrl-C as a real signal to a real {@code kadtorrent} process (SIGTERM: the JVM runs the same shutdown hook
 * as for SIGINT): it says it is stopping and what it leaves behind.
 */
class InterruptIT {

    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void aDownloadWithNoPeerSaysSoAndCtrlCSaysWhereItStopped() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "f", 100_000, 32 * 1024, 5);
        Path file = Files.write(tmp.resolve("f.torrent"), m.toBytes());
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort(); // closed again: nobody answers there
        }
        Process p = kadtorrent("get", file.toString(), "-o", tmp.resolve("out").toString(),
                "--peer", "127.0.0.1:" + deadPort, "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1");
        try {
            Lines err = new Lines(p.getErrorStream());
            err.await("progress: 0.0% (0 B of 97.7 KiB), waiting for peers (searching the DHT)");
            ctrlC(p);
            err.await("interrupted: closing connections and saving resume data");
            err.await("stopped: f 0.0% verified (0 B of 97.7 KiB); resume data saved, the same command goes on from there");
            assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSeedSaysItServesUntilCtrlCAndWhatItUploaded() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "f", 100_000, 32 * 1024, 5);
        Path file = Files.write(tmp.resolve("f.torrent"), m.toBytes());
        Process p = kadtorrent("seed", file.toString(), "--data", tmp.resolve("seed").toString(),
                "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1");
        try {
            Lines err = new Lines(p.getErrorStream());
            err.await("serving f until Ctrl-C");
            ctrlC(p);
            err.await("stopped seeding f (uploaded 0 B)");
            assertTrue(p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * SIGTERM through the process handle: {@code Process.destroy()} would also close our end of its stderr,
     * and with it the lines printed on the way out.
     */
    private static void ctrlC(Process p) {
        p.toHandle().destroy();
    }

    /** The CLI in a new JVM on this test's class path (stdout discarded). */
    private static Process kadtorrent(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** A process's lines, read on a daemon thread, waited for one by one. */
    private static final class Lines {
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final List<String> seen = new ArrayList<>();

        Lines(java.io.InputStream in) {
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException closed) {
                    // the process ended
                }
            }, "interrupt-it-reader");
            reader.setDaemon(true);
            reader.start();
        }

        void await(String expected) throws InterruptedException {
            while (true) {
                String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
                if (line == null) {
                    fail("no line '" + expected + "' after " + WAIT_SECONDS + " s; saw " + seen);
                }
                seen.add(line);
                if (line.equals(expected)) {
                    return;
                }
            }
        }
    }
}
