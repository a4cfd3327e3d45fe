package io.kadtorrent.client.cli;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GetCommandTest {

    @TempDir
    Path tmp;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldOut;
    private PrintStream oldErr;

    @BeforeEach
    void captureOutput() {
        oldOut = System.out;
        oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(oldOut);
        System.setErr(oldErr);
    }

    @Test
    void getDownloadsFromPeerAndPrintsStableLines() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 21);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        try (Session seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0))) {
            seeder.add(m, tmp.resolve("seed"));
            int code = Main.run("get", file.toString(), "-o", tmp.resolve("out").toString(),
                    "--peer", "127.0.0.1:" + seeder.localAddress().getPort(),
                    "--port", "0", "--bind", "127.0.0.1", "--seed-time", "0");
            String stdout = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
            assertTrue(stdout.matches("(?s)listening: tcp 127\\.0\\.0\\.1:\\d+\\n.*"), stdout);
            assertTrue(stdout.contains("complete: " + m.infoHash().hex() + " " + m.totalBytes() + " bytes in "), stdout);
        }
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void getRequiringEncryptionDownloadsFromASeederThatRequiresItToo() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 22);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        try (Session seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0)
                .withEncryption(io.kadtorrent.engine.mse.EncryptionPolicy.REQUIRE))) {
            seeder.add(m, tmp.resolve("seed"));
            int code = Main.run("get", file.toString(), "-o", tmp.resolve("out").toString(),
                    "--peer", "127.0.0.1:" + seeder.localAddress().getPort(), "--encryption", "require",
                    "--port", "0", "--bind", "127.0.0.1", "--seed-time", "0");
            assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        }
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void torrentWhosePathsEscapeIsRefusedBeforeAnythingIsWritten() throws Exception {
        Path file = Files.write(tmp.resolve("evil.torrent"),
                TestTorrents.withRawPath("t", List.of("..", "..", "escaped"), 10, 32 * 1024));
        Path outDir = Files.createDirectories(tmp.resolve("out"));
        int code = Main.run("get", file.toString(), "-o", outDir.toString(), "--peer", "127.0.0.1:9",
                "--port", "0", "--bind", "127.0.0.1", "--seed-time", "0");
        assertEquals(1, code);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stderr.startsWith("error: ") && stderr.contains("not a safe path component"), stderr);
        try (var list = Files.list(outDir)) {
            assertEquals(0, list.count());
        }
        assertFalse(Files.exists(tmp.resolve("escaped")));
    }

    @Test
    void badPeerAddressIsAUsageError() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "f", 10, 32 * 1024, 22);
        Path file = Files.write(tmp.resolve("f.torrent"), m.toBytes());
        assertEquals(2, Main.run("get", file.toString(), "-o", tmp.toString(), "--peer", "nohostport"));
        assertEquals(2, Main.run("get", file.toString(), "-o", tmp.toString()));
    }

    @Test
    void aResumedDownloadSaysHowMuchWasAlreadyVerified() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", List.of(TestTorrents.TestFile.of(200_000, "a.bin"),
                TestTorrents.TestFile.of(100_000, "b.bin")), 32 * 1024, 23);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        Files.createDirectories(tmp.resolve("out/t"));
        Files.copy(tmp.resolve("seed/t/a.bin"), tmp.resolve("out/t/a.bin")); // pieces 0-5 whole, 6 shared with b.bin
        try (Session seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0))) {
            seeder.add(m, tmp.resolve("seed"));
            CliRun run = CliRun.of("get", file.toString(), "-o", tmp.resolve("out").toString(),
                    "--peer", "127.0.0.1:" + seeder.localAddress().getPort(),
                    "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1", "--seed-time", "0");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.err().contains("resuming: t, 6 of " + m.pieceCount() + " pieces (192.0 KiB of 293.0 KiB)"
                    + " already verified on disk"), run.err());
            assertFalse(run.err().contains("seeding:"), run.err()); // --seed-time 0: it does not seed

            CliRun again = CliRun.of("get", file.toString(), "-o", tmp.resolve("out").toString(),
                    "--peer", "127.0.0.1:" + seeder.localAddress().getPort(),
                    "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1", "--seed-time", "1");
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.err().contains("already complete on disk: t, " + m.pieceCount() + " of "), again.err());
            assertTrue(again.err().contains("seeding: t for 1 s (Ctrl-C stops sooner)"), again.err());
        }
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void onlyAndSkipDownloadTheChosenFilesAndCreateNoOther() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 24);
        Path file = Files.write(tmp.resolve("t.torrent"), m.toBytes());
        try (Session seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0))) {
            seeder.add(m, tmp.resolve("seed"));
            String peer = "127.0.0.1:" + seeder.localAddress().getPort();
            CliRun run = CliRun.of("get", file.toString(), "-o", tmp.resolve("out").toString(), "--peer", peer,
                    "--only", "*.bin", "--skip", "sub/deeper/**", "--port", "0", "--dht-port", "0",
                    "--bind", "127.0.0.1", "--seed-time", "0");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.err().contains("skipping: 4 of 5 files (260.2 KiB); they are not created"), run.err());
            assertArrayEquals(Files.readAllBytes(tmp.resolve("seed/t/a.bin")), Files.readAllBytes(tmp.resolve("out/t/a.bin")));
            for (String skipped : List.of("sub/deeper/big.bin", "sub/tiny.dat", "z-exactly-one-block", "empty.txt")) {
                assertFalse(Files.exists(tmp.resolve("out/t").resolve(skipped)), skipped + " was created");
            }

            CliRun nothing = CliRun.of("get", file.toString(), "-o", tmp.resolve("none").toString(), "--peer", peer,
                    "--only", "*.mkv", "--port", "0", "--bind", "127.0.0.1");
            assertEquals(2, nothing.exitCode(), nothing.err());
            assertTrue(nothing.err().contains("no file of t is selected (--only *.mkv); its files: a.bin, empty.txt"),
                    nothing.err());
            assertFalse(Files.exists(tmp.resolve("none")), "a refused selection created files");
        }
    }

    @Test
    void aMagnetsSelectOnlyDownloadsJustThoseFiles() throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 32 * 1024, 25);
        try (Session seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0))) {
            seeder.add(m, tmp.resolve("seed"));
            CliRun run = CliRun.of("get", "magnet:?xt=urn:btih:" + m.infoHash().hex() + "&so=0", "-o",
                    tmp.resolve("out").toString(), "--peer", "127.0.0.1:" + seeder.localAddress().getPort(),
                    "--port", "0", "--dht-port", "0", "--bind", "127.0.0.1", "--seed-time", "0");
            assertEquals(0, run.exitCode(), run.err());
            assertTrue(run.err().contains("skipping: 4 of 5 files"), run.err());
        }
        assertArrayEquals(Files.readAllBytes(tmp.resolve("seed/t/a.bin")), Files.readAllBytes(tmp.resolve("out/t/a.bin")));
        assertFalse(Files.exists(tmp.resolve("out/t/sub")), "files left out by so= were created");
    }
}
