package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoCommandTest {

    @TempDir
    Path dir;

    private Path created() throws Exception {
        Files.createDirectories(dir.resolve("share/sub"));
        Files.write(dir.resolve("share/sub/a.bin"), new byte[40_000]);
        Files.writeString(dir.resolve("share/quote\"d.txt"), "hello");
        Path torrent = dir.resolve("share.torrent");
        CliRun run = CliRun.of("create", dir.resolve("share").toString(), "-o", torrent.toString(),
                "--piece-size", "16384", "--node", "127.0.0.1:6881", "--comment", "line1\nline2");
        assertEquals(0, run.exitCode(), run.err());
        return torrent;
    }

    @Test
    void printsTheTorrentAsTextLines() throws Exception {
        Path torrent = created();
        String infoHash = CliRun.of("create", dir.resolve("share").toString(), "-o", dir.resolve("again.torrent").toString(),
                "--piece-size", "16384").line("info_hash");
        CliRun run = CliRun.of("info", torrent.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(infoHash, run.line("info_hash"));
        assertEquals("magnet:?xt=urn:btih:" + infoHash + "&dn=share", run.line("magnet"));
        assertEquals("share", run.line("name"));
        assertEquals("40005 bytes", run.line("size"));
        assertEquals("3", run.line("pieces"));
        assertEquals("16384 bytes", run.line("piece length"));
        assertEquals("2", run.line("files"));
        assertTrue(run.out().contains("\n  5 quote\"d.txt\n  40000 sub/a.bin\n"), run.out());
        assertEquals("127.0.0.1:6881", run.line("node"));
        assertEquals("kadtorrent 0.1.0", run.line("created by"));
    }

    @Test
    void trackersAreListedByTierAndGoInTheMagnet() throws Exception {
        Files.write(dir.resolve("one.bin"), new byte[1000]);
        Path torrent = dir.resolve("one.torrent");
        assertEquals(0, CliRun.of("create", dir.resolve("one.bin").toString(), "-o", torrent.toString(),
                "--tracker", "udp://127.0.0.1:1,http://127.0.0.1:2/announce", "--tracker", "http://127.0.0.1:3/a").exitCode());
        CliRun run = CliRun.of("info", torrent.toString());
        assertTrue(run.out().contains("tracker: udp://127.0.0.1:1 (tier 1)\ntracker: http://127.0.0.1:2/announce (tier 1)\n"
                + "tracker: http://127.0.0.1:3/a (tier 2)\n"), run.out());
        assertEquals("magnet:?xt=urn:btih:" + run.line("info_hash") + "&dn=one.bin&tr=udp%3A%2F%2F127.0.0.1%3A1"
                + "&tr=http%3A%2F%2F127.0.0.1%3A2%2Fannounce&tr=http%3A%2F%2F127.0.0.1%3A3%2Fa", run.line("magnet"));
        String json = CliRun.of("info", torrent.toString(), "--json").out();
        assertTrue(json.contains("\"trackers\":[[\"udp://127.0.0.1:1\",\"http://127.0.0.1:2/announce\"],"
                + "[\"http://127.0.0.1:3/a\"]]"), json);

        assertEquals(0, CliRun.of("create", dir.resolve("one.bin").toString(), "-o", dir.resolve("single.torrent").toString(),
                "--tracker", "udp://127.0.0.1:1").exitCode());
        assertEquals("udp://127.0.0.1:1", CliRun.of("info", dir.resolve("single.torrent").toString()).line("tracker"),
                "one tier: no tier number");
        assertFalse(CliRun.of("info", dir.resolve("single.torrent").toString()).out().contains("private"));
        assertTrue(json.contains("\"private\":false"), json);

        assertEquals(0, CliRun.of("create", dir.resolve("one.bin").toString(), "-o", dir.resolve("private.torrent").toString(),
                "--tracker", "udp://127.0.0.1:1", "--private").exitCode());
        assertEquals("yes (peers from its trackers only)",
                CliRun.of("info", dir.resolve("private.torrent").toString()).line("private"));
        assertTrue(CliRun.of("info", dir.resolve("private.torrent").toString(), "--json").out().contains("\"private\":true"));
    }

    @Test
    void printsOneJsonObject() throws Exception {
        Path torrent = created();
        CliRun run = CliRun.of("info", torrent.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        String json = run.out().strip();
        assertEquals(1, json.lines().count());
        String infoHash = CliRun.of("info", torrent.toString()).line("info_hash");
        assertTrue(json.startsWith("{\"info_hash\":\"" + infoHash + "\",\"magnet\":\"magnet:?xt=urn:btih:" + infoHash), json);
        assertTrue(json.contains("\"files\":[{\"path\":[\"quote\\\"d.txt\"],\"length\":5},{\"path\":[\"sub\",\"a.bin\"],\"length\":40000}]"), json);
        assertTrue(json.contains("\"comment\":\"line1\\nline2\""), json);
        assertTrue(json.contains("\"nodes\":[\"127.0.0.1:6881\"]"), json);
        assertTrue(json.contains("\"total_bytes\":40005,\"piece_count\":3,\"piece_length\":16384,\"single_file\":false"), json);
        assertTrue(json.endsWith("}"));
    }

    @Test
    void missingAndInvalidFilesGiveOneLineAndExit1() throws Exception {
        CliRun missing = CliRun.of("info", dir.resolve("nope.torrent").toString());
        assertEquals(1, missing.exitCode());
        assertEquals("error: no such file: " + dir.resolve("nope.torrent"), missing.err().strip());

        Path bad = dir.resolve("bad.torrent");
        Files.writeString(bad, "d4:infod4:name1:a12:piece lengthi0eee");
        CliRun invalid = CliRun.of("info", bad.toString());
        assertEquals(1, invalid.exitCode());
        assertEquals("error: info.piece length must be > 0", invalid.err().strip());
        assertEquals("", invalid.out());
    }

    @Test
    void usageErrorsExitWith2() {
        assertEquals(2, CliRun.of("info").exitCode());
        assertEquals(2, CliRun.of("info", "a.torrent", "--bogus").exitCode());
    }
}
