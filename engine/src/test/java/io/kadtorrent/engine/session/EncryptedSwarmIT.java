package io.kadtorrent.engine.session;

import io.kadtorrent.engine.mse.EncryptionPolicy;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.testing.TestTorrents.TestFile;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.kadtorrent.engine.mse.EncryptionPolicy.DISABLED;
import static io.kadtorrent.engine.mse.EncryptionPolicy.ENABLED;
import static io.kadtorrent.engine.mse.EncryptionPolicy.PREFER;
import static io.kadtorrent.engine.mse.EncryptionPolicy.REQUIRE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two of our sessions on 127.0.0.1 with MSE policies: a download where both require encryption (so every
 * byte, including the seeder's blocks, went through RC4), and the dial fallbacks either way.
 */
class EncryptedSwarmIT {

    private static final int PIECE = 32 * 1024;

    @TempDir
    Path tmp;
    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    private void transfer(EncryptionPolicy seeder, EncryptionPolicy downloader) throws Exception {
        Metainfo m = TestTorrents.multiFile(tmp.resolve("seed"), "t",
                List.of(TestFile.of(1_500_001, "big"), TestFile.of(40_000, "small")), PIECE, 21);
        Session seed = sessions.start(LocalSessions.LOOPBACK.withEncryption(seeder));
        seed.add(m, tmp.resolve("seed"));
        Session client = sessions.start(LocalSessions.LOOPBACK.withEncryption(downloader));
        Torrent swarm = client.add(m, tmp.resolve("out"));
        swarm.addPeer(seed.localAddress());
        swarm.completion().get(60, TimeUnit.SECONDS);
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
        assertEquals(m.totalBytes(), swarm.stats().verifiedBytes());
    }

    @Test
    void bothRequiringEncryptionTransferATorrentByteIdentical() throws Exception {
        transfer(REQUIRE, REQUIRE); // a requiring seeder refuses plain text, so this ran over RC4
    }

    @Test
    void preferringDownloaderFallsBackToPlainTextWithASeederThatNeverEncrypts() throws Exception {
        transfer(DISABLED, PREFER);
    }

    @Test
    void enabledDownloaderRetriesWithMseWhenTheSeederRequiresIt() throws Exception {
        transfer(REQUIRE, ENABLED);
    }
}
