package io.kadtorrent.client.cli;

import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CreateCommandTest {

    @TempDir
    Path dir;

    private Path share() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share/sub"));
        Files.write(share.resolve("a.bin"), new byte[50_000]);
        Files.writeString(dir.resolve("share/readme.txt"), "hello");
        return dir.resolve("share");
    }

    @Test
    void createsATorrentAndPrintsTheStableLines() throws Exception {
        Path out = dir.resolve("share.torrent");
        CliRun run = CliRun.of("create", share().toString(), "-o", out.toString(), "--piece-size", "16K",
                "--node", "127.0.0.1:6881", "--node", "[::1]:7", "--name", "shared", "--comment", "hi", "--threads", "2");
        assertEquals(0, run.exitCode(), run.err());
        Metainfo m = MetainfoParser.read(out);
        assertEquals(m.infoHash().hex(), run.line("info_hash"));
        assertEquals("magnet:?xt=urn:btih:" + m.infoHash().hex() + "&dn=shared", run.line("magnet"));
        assertEquals("shared", m.name());
        assertEquals(16384, m.pieceLengthBytes());
        assertEquals("hi", m.comment().orElseThrow());
        assertEquals(List.of("127.0.0.1:6881", "[::1]:7"), m.nodes().stream().map(Object::toString).toList());
        assertEquals("", run.err());
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        Path source = share();
        assertEquals(2, CliRun.of("create", source.toString()).exitCode()); // no -o
        CliRun badPiece = CliRun.of("create", source.toString(), "-o", dir.resolve("x.torrent").toString(), "--piece-size", "1000");
        assertEquals(2, badPiece.exitCode());
        assertTrue(badPiece.err().contains("power of two"), badPiece.err());
        assertEquals(2, CliRun.of("create", source.toString(), "-o", "x.torrent", "--node", "nohost").exitCode());
        assertEquals(2, CliRun.of("create", source.toString(), "-o", "x.torrent", "--threads", "0").exitCode());
        assertEquals(2, CliRun.of("create", source.toString(), "-o", "x.torrent", "--piece-size", "lots").exitCode());
        assertFalse(Files.exists(dir.resolve("x.torrent")));
    }

    @Test
    void failuresPrintOneLineAndExit1() throws Exception {
        CliRun missing = CliRun.of("create", dir.resolve("nope").toString(), "-o", dir.resolve("x.torrent").toString());
        assertEquals(1, missing.exitCode());
        assertEquals("error: no such file: " + dir.resolve("nope"), missing.err().strip());

        CliRun noFolder = CliRun.of("create", share().toString(), "-o", dir.resolve("missing/x.torrent").toString());
        assertEquals(1, noFolder.exitCode());
        assertEquals("error: no such file: " + dir.resolve("missing"), noFolder.err().strip());

        Files.createDirectories(dir.resolve("empty"));
        Files.write(dir.resolve("empty/zero"), new byte[0]);
        CliRun empty = CliRun.of("create", dir.resolve("empty").toString(), "-o", dir.resolve("x.torrent").toString());
        assertEquals(1, empty.exitCode());
        assertEquals(1, empty.err().strip().lines().count());
        assertTrue(empty.err().startsWith("error: ") && empty.err().contains("every file is empty"), empty.err());
        assertFalse(Files.exists(dir.resolve("x.torrent")));
    }
}
