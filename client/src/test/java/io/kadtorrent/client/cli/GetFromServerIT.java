package io.kadtorrent.client.cli;

import com.google.common.net.HostAndPort;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.server.BootstrapNodes;
import io.kadtorrent.metadata.server.MetadataServer;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.server.PublishPolicy;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code get NAME|INFOHASH --server HOST:PORT [--trust KEY.pub]} against a real metadata server and seeder. */
class GetFromServerIT {

    @TempDir
    Path tmp;

    private MetadataServer server;
    private Session seeder;
    private Metainfo torrent;
    private String serverArg;
    private String seederArg;

    @BeforeEach
    void publishAndSeed() throws Exception {
        SigningKey publisher = SigningKey.generate(new SecureRandom());
        publisher.writeTo(tmp.resolve("publisher.key"));
        SigningKey.generate(new SecureRandom()).writeTo(tmp.resolve("stranger.key"));
        server = MetadataServer.start(MetadataServerConfig.loopback().withPublishPolicy(PublishPolicy.openToAll()),
                Catalog.open(tmp.resolve("catalog")), BootstrapNodes.fixed(List.of(HostAndPort.fromParts("127.0.0.1", 9))));
        serverArg = "127.0.0.1:" + server.localAddress().getPort();
        torrent = TestTorrents.multiFile(tmp.resolve("seed"), "album", TestTorrents.awkwardFiles(), 32 * 1024, 5);
        try (MetadataClient client = MetadataClient.connect(server.localAddress(), Duration.ofSeconds(5))) {
            client.publish(torrent.toBytes(), publisher);
        }
        seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0));
        seeder.add(torrent, tmp.resolve("seed"));
        seederArg = "127.0.0.1:" + seeder.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        seeder.close();
        server.close();
    }

    private CliRun get(String what, String outDir, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("get", what, "--server", serverArg,
                "-o", tmp.resolve(outDir).toString(), "--peer", seederArg, "--bind", "127.0.0.1", "--port", "0",
                "--dht-port", "0", "--seed-time", "0"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void getByNameWithTrustedKeyDownloadsAndReportsSources() throws Exception {
        CliRun run = get("album", "out", "--trust", tmp.resolve("publisher.key.pub").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("complete: " + torrent.infoHash().hex() + " " + torrent.totalBytes()), run.out());
        assertEquals(seederArg + " " + torrent.totalBytes() + " bytes", run.line("from"), run.out());
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/album"), tmp.resolve("out/album")));
    }

    @Test
    void getByInfoHashDownloads() throws Exception {
        CliRun run = get(torrent.infoHash().hex(), "by-hash");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/album"), tmp.resolve("by-hash/album")));
    }

    @Test
    void torrentSignedByAnotherKeyIsRefusedBeforeAnythingIsWritten() {
        CliRun run = get("album", "untrusted", "--trust", tmp.resolve("stranger.key.pub").toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("error: ") && run.err().contains("untrusted"), run.err());
        assertFalse(Files.exists(tmp.resolve("untrusted/album")));
    }

    @Test
    void unknownNameIsAClearError() {
        CliRun run = get("no-such-torrent", "none");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("no-such-torrent"), run.err());
    }

    @Test
    void trustWithoutServerIsAUsageError() throws Exception {
        Path file = Files.write(tmp.resolve("album.torrent"), torrent.toBytes());
        CliRun run = CliRun.of("get", file.toString(), "-o", tmp.toString(), "--peer", seederArg,
                "--trust", tmp.resolve("publisher.key.pub").toString());
        assertEquals(2, run.exitCode(), run.err());
    }
}
