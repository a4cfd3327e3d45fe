package io.kadtorrent.examples;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.torrent.create.CreateOptions;
import io.kadtorrent.torrent.create.TorrentCreator;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LibraryDownloadTest {

    @TempDir
    Path tmp;

    @Test
    void downloadsThroughThePublicApiAndReportsProgress() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("seed/set/sub"));
        SplittableRandom random = new SplittableRandom(7);
        byte[] a = new byte[300_001];
        byte[] b = new byte[77_777];
        random.nextBytes(a);
        random.nextBytes(b);
        Files.write(data.resolve("../a.bin"), a);
        Files.write(data.resolve("b.bin"), b);
        Metainfo torrent = TorrentCreator.create(tmp.resolve("seed/set"),
                CreateOptions.defaults().withPieceLengthBytes(32 * 1024));

        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        try (Session seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0))) {
            seeder.add(torrent, tmp.resolve("seed"));
            SwarmStats stats = LibraryDownload.download(torrent, tmp.resolve("out"), List.of(seeder.localAddress()),
                    List.of(), Duration.ofMinutes(2), new PrintStream(progress, true, StandardCharsets.UTF_8));
            assertEquals(torrent.totalBytes(), stats.verifiedBytes());
        }
        assertArrayEquals(a, Files.readAllBytes(tmp.resolve("out/set/a.bin")));
        assertArrayEquals(b, Files.readAllBytes(tmp.resolve("out/set/sub/b.bin")));
        String printed = progress.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("complete: " + torrent.infoHash().hex()), printed);
        assertTrue(printed.contains("% of " + torrent.totalBytes() + " bytes"), printed);
    }
}
