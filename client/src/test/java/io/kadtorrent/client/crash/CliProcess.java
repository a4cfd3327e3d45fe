package io.kadtorrent.client.crash;

import io.kadtorrent.client.cli.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code kadtorrent} command as a real process (a JVM on this test's class path) whose output lines
 * (stdout and stderr, merged) a test waits on, and which it can kill with SIGKILL at any moment.
 */
public final class CliProcess implements AutoCloseable {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final Process process;
    private final List<String> lines = new ArrayList<>(); // guarded by itself
    private boolean ended; // guarded by lines: the output reached its end
    private final Thread reader;
    private final long startedNanos = System.nanoTime();

    private CliProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        this.reader = new Thread(this::readLines, "crash-" + name + "-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code kadtorrent ARGS...} with {@code home} as its home folder (and XDG folders below it), so
     * that a test can see whatever it writes outside the folders it was given.
     */
    public static CliProcess start(String name, Path home, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Duser.home=" + home,
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true);
        b.environment().put("HOME", home.toString());
        b.environment().put("XDG_STATE_HOME", home.resolve(".local/state").toString());
        b.environment().put("XDG_CONFIG_HOME", home.resolve(".config").toString());
        b.environment().put("XDG_CACHE_HOME", home.resolve(".cache").toString());
        b.environment().put("XDG_DATA_HOME", home.resolve(".local/share").toString());
        return new CliProcess(name, b.start());
    }

    private void readLines() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException killed) {
            // the stream closes under us when the process is killed
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    /**
     * The first line (since the start) that {@code matches}; fails when the process ends without one or
     * none comes within {@code timeout}.
     */
    public String awaitLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        return findLine(matches, timeout).orElseThrow(() -> new AssertionError(name + ": no such line within "
                + timeout.toSeconds() + " s" + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
                + "; output:\n" + String.join("\n", snapshot())));
    }

    /** As {@link #awaitLine}, empty instead of failing. */
    public Optional<String> findLine(Predicate<String> matches, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        synchronized (lines) {
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (matches.test(lines.get(seen))) {
                        return Optional.of(lines.get(seen));
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** The line starting with {@code prefix}, without the prefix. */
    public String awaitPrefixed(String prefix, Duration timeout) throws InterruptedException {
        return awaitLine(l -> l.startsWith(prefix), timeout).substring(prefix.length());
    }

    /** Every line so far. */
    public List<String> snapshot() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits up to {@code d} for the process to exit on its own; true when it did. */
    public boolean exitsWithin(Duration d) throws InterruptedException {
        return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Milliseconds since it was started. */
    public long ageMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitValue() {
        return process.exitValue();
    }

    /** SIGKILL ({@code Process.destroyForcibly} on Linux): no shutdown hook, no last save; waits until it is gone. */
    public void kill9() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for " + EXIT_WAIT.toSeconds() + " s");
        }
        reader.join(EXIT_WAIT.toMillis());
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill9();
        }
    }
}
