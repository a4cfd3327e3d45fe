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
        assertEquals(java.util.Optional.empty(), m.announce(), "no tracker unless asked");
        assertEquals("", run.err());
        assertEquals("50005 bytes in 2 files", run.line("size"));
        Path single = Files.writeString(dir.resolve("one.txt"), "1");
        assertEquals("1 bytes in 1 file", CliRun.of("create", single.toString(), "-o", dir.resolve("one.torrent").toString())
                .line("size"));
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
        CliRun badTracker = CliRun.of("create", source.toString(), "-o", "x.torrent", "--tracker", "tracker.example:6969");
        assertEquals(2, badTracker.exitCode());
        assertTrue(badTracker.err().contains("not a tracker URL: tracker.example:6969"), badTracker.err());
        assertEquals(2, CliRun.of("create", source.toString(), "-o", "x.torrent", "--tracker", ",").exitCode());
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
        assertEquals("error: cannot write " + dir.resolve("missing/x.torrent") + ": output folder does not exist",
                noFolder.err().strip());

        Files.createDirectories(dir.resolve("empty"));
        Files.write(dir.resolve("empty/zero"), new byte[0]);
        CliRun empty = CliRun.of("create", dir.resolve("empty").toString(), "-o", dir.resolve("x.torrent").toString());
        assertEquals(1, empty.exitCode());
        assertEquals(1, empty.err().strip().lines().count());
        assertTrue(empty.err().startsWith("error: ") && empty.err().contains("every file is empty"), empty.err());
        assertFalse(Files.exists(dir.resolve("x.torrent")));
    }

    @Test
    void trackersGoInTierByTier() throws Exception {
        Path out = dir.resolve("t.torrent");
        CliRun run = CliRun.of("create", share().toString(), "-o", out.toString(),
                "--tracker", "udp://127.0.0.1:1, http://127.0.0.1:2/announce", "--tracker", "https://127.0.0.1:3/a");
        assertEquals(0, run.exitCode(), run.err());
        Metainfo m = MetainfoParser.read(out);
        assertEquals("udp://127.0.0.1:1", m.announce().orElseThrow());
        assertEquals(List.of(List.of("udp://127.0.0.1:1", "http://127.0.0.1:2/announce"), List.of("https://127.0.0.1:3/a")),
                m.announceList());
    }

    @Test
    void anExistingTorrentIsKeptUnlessForced() throws Exception {
        Path out = dir.resolve("share.torrent");
        Files.writeString(out, "precious");
        CliRun refused = CliRun.of("create", share().toString(), "-o", out.toString());
        assertEquals(1, refused.exitCode());
        assertEquals("error: " + out + ": already exists (--force overwrites it)", refused.err().strip());
        assertEquals("", refused.out());
        assertEquals("precious", Files.readString(out));

        CliRun forced = CliRun.of("create", share().toString(), "-o", out.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertEquals(forced.line("info_hash"), MetainfoParser.read(out).infoHash().hex());

        CliRun folder = CliRun.of("create", share().toString(), "-o", dir.toString(), "--force");
        assertEquals(1, folder.exitCode());
        assertEquals("error: " + dir + " is a folder: -o names the .torrent file to write", folder.err().strip());
    }

    @Test
    void hiddenFilesAndFoldersAreLeftOutUnlessIncluded() throws Exception {
        Path share = share();
        Files.createDirectories(share.resolve(".git/objects"));
        Files.writeString(share.resolve(".git/objects/ab"), "blob");
        Files.writeString(share.resolve("sub/.DS_Store"), "finder");
        Files.writeString(share.resolve(".env"), "secret");

        assertEquals(List.of("readme.txt", "sub/a.bin"), paths(create(share, "default.torrent")));
        assertEquals(List.of(".env", ".git/objects/ab", "readme.txt", "sub/.DS_Store", "sub/a.bin"),
                paths(create(share, "all.torrent", "--include-hidden")));
    }

    @Test
    void excludeGlobsMatchNamesOrPathsAndAreRepeatable() throws Exception {
        Path share = share();
        Files.createDirectories(share.resolve("docs/drafts"));
        Files.writeString(share.resolve("docs/drafts/old.txt"), "draft");
        Files.writeString(share.resolve("docs/final.txt"), "final");
        Files.writeString(share.resolve("sub/scratch.tmp"), "tmp");

        assertEquals(List.of("docs/final.txt", "readme.txt", "sub/a.bin"),
                paths(create(share, "a.torrent", "--exclude", "*.tmp", "--exclude", "docs/drafts")));
        assertEquals(List.of("docs/drafts/old.txt", "docs/final.txt", "readme.txt"),
                paths(create(share, "b.torrent", "--exclude", "sub")));

        CliRun nothingLeft = CliRun.of("create", share.toString(), "-o", dir.resolve("c.torrent").toString(),
                "--exclude", "*");
        assertEquals(1, nothingLeft.exitCode());
        assertTrue(nothingLeft.err().contains("contains no files (hidden and excluded entries were left out)"),
                nothingLeft.err());
    }

    @Test
    void helpSaysWhatGoesIn() {
        String help = CliRun.of("create", "--help").out().replaceAll("\\s+", " ");
        assertTrue(help.contains("except hidden files and folders"), help);
        assertTrue(help.contains("--include-hidden") && help.contains("--exclude=GLOB") && help.contains("--force"), help);
    }

    private Metainfo create(Path source, String torrent, String... flags) throws Exception {
        Path out = dir.resolve(torrent);
        List<String> args = new java.util.ArrayList<>(List.of("create", source.toString(), "-o", out.toString()));
        args.addAll(List.of(flags));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        return MetainfoParser.read(out);
    }

    private static List<String> paths(Metainfo m) {
        return m.files().stream().map(f -> String.join("/", f.path())).toList();
    }
}
