package io.kadtorrent.engine.session;

import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Magnet downloads over real sockets on 127.0.0.1: BEP 9 metadata from peers, then the data. */
class MagnetIT {

    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void magnetDownloadFetchesVerifiedMetadataThenTheData() throws Exception {
        // ~2,000 pieces: an info dictionary of 3 BEP 9 pieces, so the fetch spans several messages
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t", List.of(
                TestTorrents.TestFile.of(20_000_000, "big.bin"), TestTorrents.TestFile.of(1_234, "small.txt")),
                PIECE, 21);
        Session seeder = sessions.start();
        seeder.add(m, tmp.resolve("seed"));

        Session client = sessions.start();
        Torrent swarm = client.addMagnet(m.infoHash(), List.of(seeder.localAddress()), tmp.resolve("out"))
                .get(60, TimeUnit.SECONDS);
        assertArrayEquals(m.rawInfo(), swarm.metainfo().rawInfo(), "metadata is the exact info dictionary");
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void magnetDownloadFromAFormerMagnetDownloader() throws Exception {
        Metainfo m = TestTorrents.singleFile(tmp.resolve("seed"), "one.bin", 700_001, PIECE, 22);
        Session seeder = sessions.start();
        seeder.add(m, tmp.resolve("seed"));
        Session first = sessions.start();
        first.addMagnet(m.infoHash(), List.of(seeder.localAddress()), tmp.resolve("first"))
                .get(60, TimeUnit.SECONDS).completion().get(60, TimeUnit.SECONDS);
        sessions.closeNow(seeder);

        Session second = sessions.start();
        Torrent swarm = second.addMagnet(m.infoHash(), List.of(first.localAddress()), tmp.resolve("second"))
                .get(60, TimeUnit.SECONDS);
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertArrayEquals(java.nio.file.Files.readAllBytes(tmp.resolve("seed/one.bin")),
                java.nio.file.Files.readAllBytes(tmp.resolve("second/one.bin")));
    }
}
