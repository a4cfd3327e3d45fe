package io.kadtorrent.torrent.create;

import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libtorrent (python3-libtorrent) loads a torrent we created and reports the same info_hash. */
@Tag("interop")
class LibtorrentInteropTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void libtorrentReadsOurTorrentWithTheSameInfoHash() throws Exception {
        Assumptions.assumeTrue(libtorrentInstalled(), "python3-libtorrent is not installed");
        Metainfo ours = TorrentCreator.create(CompatibilityFixturesTest.FIXTURES.resolve("data/tree"),
                CreateOptions.defaults().withPieceLengthBytes(16384).withComment("interop")
                        .withNodes(java.util.List.of(com.google.common.net.HostAndPort.fromParts("127.0.0.1", 6881))));
        Path torrent = dir.resolve("ours.torrent");
        TorrentFileWriter.write(ours, torrent);
        String out = python("import libtorrent as lt, sys\n"
                + "ti = lt.torrent_info(sys.argv[1])\n"
                + "print(ti.info_hash(), ti.num_files(), ti.total_size(), ti.num_pieces())\n", torrent.toString());
        assertEquals(ours.infoHash().hex() + " " + ours.files().size() + " " + ours.totalBytes() + " "
                + ours.pieceCount(), out.strip());
    }

    private static boolean libtorrentInstalled() throws Exception {
        if (!Files.isExecutable(PYTHON)) {
            return false;
        }
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import libtorrent").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static String python(String script, String arg) throws Exception {
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", script, arg).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "python timed out");
            assertEquals(0, p.exitValue(), out);
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
