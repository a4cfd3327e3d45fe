package io.kadtorrent.client.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.DynamicMBean;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Keeps HotSpot's optimizing compiler (C2) to the JDK's digest code in {@code get}.
 *
 * <p>A transfer's CPU time goes to copies and system calls, which run the same in C1-compiled code,
 * and to SHA-1, which is fast only in C2 code (C1 has no SHA intrinsic). C2 compiling the Netty
 * pipeline and the allocator, with their deep inlining and recompilations after deoptimization, cost
 * 2-3.5 s of CPU in a 1 GiB download on two cores, more than the whole data path. With C2 kept to
 * {@code sun.security.provider} and {@code java.security}, everything else settles in C1 without
 * profiling. A 1 GiB download from libtorrent then took 2.8 s to a verified copy instead of 3.4, and
 * 4.2 s of CPU instead of 6.1 (medians of 5 alternating runs, see bench/RESULTS.md).
 *
 * <p>The directives go in through the JVM's diagnostic command ({@code jcmd Compiler.directives_add}),
 * on a daemon thread. The command's bean is taken directly where the jar's manifest opens its package
 * ({@code Add-Opens}): the platform MBean server would first register every platform bean, about 700
 * classes and 0.3 s of CPU at start-up; elsewhere (tests, other launchers) the server is the fallback.
 * Only the command's own
 * process does this ({@link Main#main}), never tests running in a shared JVM. {@code
 * -Dkadtorrent.fullJit=true} turns it off.
 *
 * <p>The {@code daemon} takes the same directives while it brings back its torrents, then lifts them
 * ({@link #liftOnceApplied}): restoring 1,000 torrents had C2 compiling the JSON, bencode, path and
 * collection code it runs once per torrent, about 40 % of the restart's CPU, for a loop that is over in
 * seconds. What becomes hot afterwards (the peer connections of a long-running daemon) gets C2 as usual;
 * a method C2 was refused during the restore stays in C1 code, which runs the copies and system calls of
 * a transfer as fast.
 */
final class JitPolicy {

    /** Created on first use: {@link Main#main} asks {@link #appliesTo} on every run, and slf4j's start-up
     * (a service lookup over the whole jar) is not free for the commands that never log. */
    private static final class Log {
        static final Logger log = LoggerFactory.getLogger(JitPolicy.class);
    }

    /** HotSpot compiler directives: the first matching entry applies. */
    static final String DIRECTIVES = """
            [
              { match: ["sun/security/provider/*.*", "java/security/*.*"], c2: { Exclude: false } },
              { match: ["*.*"], c2: { Exclude: true } }
            ]
            """;

    /** Whether this process installed the directives: completes once {@link #startApplying} is done. */
    private static final CompletableFuture<Boolean> APPLIED = new CompletableFuture<>();

    private JitPolicy() {
    }

    /**
     * True for {@code get}: a download is short and CPU-bound, so C2's compile time never pays back; and for
     * the {@code daemon}, until it has brought back its torrents. A long-running {@code seed} keeps the
     * full JIT: its hot path is small, compiled once, and in steady state served libtorrent about 5 % faster
     * with C2 (6 alternating rounds, warm seeders).
     */
    static boolean appliesTo(String command) {
        return command.equals("get") || command.equals("daemon");
    }

    /** Starts installing the directives in the background, unless turned off. */
    static void startApplying() {
        if (Boolean.getBoolean("kadtorrent.fullJit")) {
            APPLIED.complete(false);
            return;
        }
        background("kadtorrent-jit-policy", () -> APPLIED.complete(apply()));
    }

    /** Once {@link #startApplying} has installed the directives, removes them: full compilation from then on. */
    static void liftOnceApplied() {
        APPLIED.thenAccept(applied -> {
            if (applied) {
                background("kadtorrent-jit-policy", JitPolicy::lift);
            }
        });
    }

    private static void background(String name, Runnable task) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    /** The diagnostic command bean without the MBean server; empty when its package is not opened to us. */
    private static Optional<DynamicMBean> diagnosticCommands() {
        try {
            Class.forName("com.sun.management.internal.PlatformMBeanProviderImpl"); // loads libmanagement_ext
            Method get = Class.forName("com.sun.management.internal.DiagnosticCommandImpl")
                    .getDeclaredMethod("getDiagnosticCommandMBean");
            get.setAccessible(true);
            return Optional.of((DynamicMBean) get.invoke(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.log.debug("no direct diagnostic command bean: {}", e.toString());
            return Optional.empty();
        }
    }

    /** Removes every compiler directive; returns false (logged at debug) when this JVM refuses. */
    static boolean lift() {
        try {
            Object[] params = {new String[0]};
            String[] signature = {String[].class.getName()};
            Optional<DynamicMBean> direct = diagnosticCommands();
            Object reply = direct.isPresent() ? direct.get().invoke("compilerDirectivesClear", params, signature)
                    : ManagementFactory.getPlatformMBeanServer().invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesClear",
                            params, signature);
            Log.log.debug("compiler directives cleared: {}", String.valueOf(reply).strip());
            return true;
        } catch (Exception | LinkageError e) {
            Log.log.debug("compiler directives not cleared: {}", e.toString());
            return false;
        }
    }

    /** Installs the directives; returns false (logged at debug) when this JVM cannot take them. */
    static boolean apply() {
        Path file = null;
        try {
            file = Files.createTempFile("kadtorrent-jit", ".json");
            Files.writeString(file, DIRECTIVES, StandardCharsets.UTF_8);
            Object[] params = {new String[]{file.toString()}};
            String[] signature = {String[].class.getName()};
            Optional<DynamicMBean> direct = diagnosticCommands();
            Object reply = direct.isPresent() ? direct.get().invoke("compilerDirectivesAdd", params, signature)
                    : ManagementFactory.getPlatformMBeanServer().invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                            params, signature);
            Log.log.debug("compiler directives: {}", String.valueOf(reply).strip());
            return String.valueOf(reply).contains("added");
        } catch (Exception | LinkageError e) {
            Log.log.debug("compiler directives not installed: {}", e.toString());
            return false;
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (Exception e) {
                    Log.log.debug("cannot delete {}: {}", file, e.toString());
                }
            }
        }
    }
}
