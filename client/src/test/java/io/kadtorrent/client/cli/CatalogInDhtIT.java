package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, item 2 end to end on loopback with no metadata server: a publisher puts its catalog in the DHT
 * ({@code publish --dht --keep}), a fresh client finds and downloads a torrent by name with the publisher's
 * key alone, and a metadata server following the key mirrors the catalog.
 */
class CatalogInDhtIT {

    @TempDir
    Path tmp;
    private DhtNode bootstrap;
    private String bootstrapAddress;
    private Metainfo torrent;
    private final List<Background> running = new ArrayList<>();

    @BeforeEach
    void startBootstrapNodeAndMakeATorrent() throws Exception {
        bootstrap = DhtNode.start(DhtConfig.defaults());
        bootstrapAddress = "127.0.0.1:" + bootstrap.localAddress().getPort();
        torrent = TestTorrents.multiFile(tmp.resolve("seed"), "holiday", TestTorrents.awkwardFiles(), 16 * 1024, 7);
        Files.write(tmp.resolve("holiday.torrent"), torrent.toBytes());
        assertEquals(0, CliRun.of("keygen", "-o", tmp.resolve("alice.key").toString()).exitCode());
        assertEquals(0, CliRun.of("keygen", "-o", tmp.resolve("bob.key").toString()).exitCode());
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Background b : running) {
            b.stop();
        }
        bootstrap.close();
    }

    @Test
    void aClientFindsAndDownloadsByNameWithThePublisherKeyAloneAndAServerMirrorsTheCatalog() throws Exception {
        Background publisher = start("publish", tmp.resolve("holiday.torrent").toString(), "--dht",
                "--key", tmp.resolve("alice.key").toString(), "--catalog", tmp.resolve("catalog").toString(),
                "--data", tmp.resolve("seed").toString(), "--keep", "--port", "0", "--bind", "127.0.0.1",
                "--bootstrap", bootstrapAddress);
        String pointer = publisher.awaitLine("pointer: ");
        assertTrue(pointer.startsWith("seq 1 stored on "), pointer);
        assertEquals("holiday", publisher.line("listed: "));

        CliRun search = CliRun.of("search", "HOLI", "--publisher", tmp.resolve("alice.key.pub").toString(),
                "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress);
        assertEquals(0, search.exitCode(), search.err());
        assertTrue(search.out().startsWith(torrent.infoHash().hex() + "  "), search.out());
        assertTrue(search.out().strip().endsWith("  holiday"), search.out());

        CliRun get = CliRun.of("get", "holiday", "--publisher", tmp.resolve("alice.key.pub").toString(),
                "-o", tmp.resolve("out").toString(), "--port", "0", "--bind", "127.0.0.1",
                "--bootstrap", bootstrapAddress, "--seed-time", "0");
        assertEquals(0, get.exitCode(), get.err());
        assertTrue(get.line("complete").startsWith(torrent.infoHash().hex() + " " + torrent.totalBytes()), get.out());
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/holiday"), tmp.resolve("out/holiday")));

        CliRun missing = CliRun.of("get", "nothing-like-it", "--publisher", tmp.resolve("alice.key.pub").toString(),
                "-o", tmp.resolve("out2").toString(), "--port", "0", "--bind", "127.0.0.1",
                "--bootstrap", bootstrapAddress, "--seed-time", "0");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no torrent named nothing-like-it"), missing.err());
        assertTrue(Files.notExists(tmp.resolve("out2/nothing-like-it")));

        CliRun unknown = CliRun.of("search", "holiday", "--publisher", tmp.resolve("bob.key.pub").toString(),
                "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress);
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("has no catalog in the DHT"), unknown.err());

        Background server = start("metadata-server", "--dir", tmp.resolve("mirror").toString(), "--port", "0",
                "--dht-port", "0", "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress,
                "--follow", tmp.resolve("alice.key.pub").toString(),
                "--follow-every", "5"); // a first pass that fails on a loaded machine is tried again soon
        assertEquals("1 listed, 1 added", server.awaitLine("mirrored: ").replaceFirst("^\\S+ ", ""));
        CliRun fromServer = CliRun.of("search", "holiday", "--server", server.line("listening: tcp "));
        assertEquals(0, fromServer.exitCode(), fromServer.err());
        assertTrue(fromServer.out().startsWith(torrent.infoHash().hex()), fromServer.out());
        assertTrue(fromServer.out().contains("by " + fingerprint(tmp.resolve("alice.key.pub"))), fromServer.out());

        // another publish into the same catalog: a new version, seq 2, which the long-running publisher seeds
        Metainfo notes = TestTorrents.multiFile(tmp.resolve("seed2"), "notes", TestTorrents.awkwardFiles(), 16 * 1024, 8);
        Files.write(tmp.resolve("notes.torrent"), notes.toBytes());
        CliRun second = CliRun.of("publish", tmp.resolve("notes.torrent").toString(), "--dht",
                "--key", tmp.resolve("alice.key").toString(), "--catalog", tmp.resolve("catalog").toString(),
                "--port", "0", "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress);
        assertEquals(0, second.exitCode(), second.err());
        // The long-running publisher checks the folder every 10 s: on a slow machine it may see the new version
        // and put its pointer before this command does (this one then refreshes it, or goes one seq higher).
        Matcher seq = Pattern.compile("^seq (\\d+) ").matcher(second.line("pointer"));
        assertTrue(seq.find() && Long.parseLong(seq.group(1)) >= 2, second.out());
        String now = publisher.awaitLine("catalog: now ");
        assertTrue(second.line("catalog").contains(now), second.out() + "\n" + now);
        CliRun both = CliRun.of("search", "", "--publisher", tmp.resolve("alice.key.pub").toString(),
                "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress);
        assertEquals(0, both.exitCode(), both.err());
        assertEquals(List.of("holiday", "notes"), both.out().lines().map(l -> l.substring(l.lastIndexOf("  ") + 2)).toList());
    }

    /** BEP 46 with a salt: one key keeps one catalog per salt, and a catalog is found only under its own. */
    @Test
    void aCatalogUnderOneSaltIsFoundUnderThatSaltAlone() throws Exception {
        Background publisher = start("publish", tmp.resolve("holiday.torrent").toString(), "--dht",
                "--key", tmp.resolve("alice.key").toString(), "--salt", "photos",
                "--catalog", tmp.resolve("photos").toString(), "--keep", "--port", "0", "--bind", "127.0.0.1",
                "--bootstrap", bootstrapAddress);
        assertTrue(publisher.awaitLine("pointer: ").startsWith("seq 1 stored on "));
        String pub = tmp.resolve("alice.key.pub").toString();

        CliRun photos = CliRun.of("search", "holiday", "--publisher", pub, "--salt", "photos",
                "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress);
        assertEquals(0, photos.exitCode(), photos.err());
        assertTrue(photos.out().startsWith(torrent.infoHash().hex() + "  "), photos.out());

        CliRun music = CliRun.of("search", "holiday", "--publisher", pub, "--salt", "music",
                "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress);
        assertEquals(1, music.exitCode(), music.out());
        assertTrue(music.err().contains("has no catalog in the DHT under salt 'music'"), music.err());
        CliRun unsalted = CliRun.of("get", "holiday", "--publisher", pub, "-o", tmp.resolve("out").toString(),
                "--port", "0", "--bind", "127.0.0.1", "--bootstrap", bootstrapAddress, "--seed-time", "0");
        assertEquals(1, unsalted.exitCode(), unsalted.out());
        assertTrue(unsalted.err().contains("has no catalog in the DHT"), unsalted.err());
        assertTrue(Files.notExists(tmp.resolve("out/holiday")));
    }

    private static String fingerprint(Path pub) throws Exception {
        return io.kadtorrent.metadata.signing.PublisherKey.read(pub).fingerprint();
    }

    private Background start(String... args) {
        Background b = new Background(args);
        running.add(b);
        return b;
    }

    /** A long-running command in a thread of its own; stopped by interrupting it. */
    private static final class Background {
        private final StringBuffer out = new StringBuffer();
        private final StringWriter err = new StringWriter();
        private final Object lock = new Object();
        private final CompletableFuture<Integer> exit = new CompletableFuture<>();
        private final Thread thread;

        Background(String... args) {
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(new Writer() {
                @Override
                public void write(char[] buf, int off, int len) {
                    synchronized (lock) {
                        out.append(buf, off, len);
                        lock.notifyAll();
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            }, true));
            cli.setErr(new PrintWriter(err, true));
            cli.setExecutionExceptionHandler(CliErrors::handle);
            thread = new Thread(() -> exit.complete(cli.execute(args)), "cli-" + args[0]);
            thread.start();
        }

        /** The rest of the first stdout line starting with {@code prefix}, waiting for it (or the exit). */
        String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            synchronized (lock) {
                String found;
                while ((found = line(prefix)) == null && !exit.isDone() && System.nanoTime() < deadline) {
                    lock.wait(1000);
                }
                assertNotNull(found, "no '" + prefix + "' line; out:\n" + out + "\nerr:\n" + err);
                return found;
            }
        }

        String line(String prefix) {
            return out.toString().lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .findFirst().orElse(null);
        }

        void stop() throws Exception {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(30));
        }
    }
}
