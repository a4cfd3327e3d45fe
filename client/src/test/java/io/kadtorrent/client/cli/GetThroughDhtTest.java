package io.kadtorrent.client.cli;

import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code get} finding its seeder through the DHT alone, from a .torrent and from a magnet link. */
class GetThroughDhtTest {

    @TempDir
    Path tmp;
    private DhtNode bootstrap;
    private Session seeder;
    private Metainfo torrent;

    @BeforeEach
    void startSeederOnTheDht() throws Exception {
        bootstrap = DhtNode.start(DhtConfig.defaults());
        torrent = TestTorrents.multiFile(tmp.resolve("seed"), "t", TestTorrents.awkwardFiles(), 16 * 1024, 41);
        seeder = Session.start(SessionConfig.defaults().withBindHost("127.0.0.1").withPort(0),
                DhtConfig.defaults().withBootstrap(List.of(bootstrap.localAddress())), Duration.ofSeconds(1));
        seeder.add(torrent, tmp.resolve("seed"));
    }

    @AfterEach
    void stop() throws Exception {
        seeder.close();
        bootstrap.close();
    }

    private CliRun get(String what) {
        return CliRun.of("get", what, "-o", tmp.resolve("out").toString(), "--port", "0", "--bind", "127.0.0.1",
                "--bootstrap", "127.0.0.1:" + bootstrap.localAddress().getPort(), "--seed-time", "0");
    }

    @Test
    void getsATorrentFileFromASeederFoundOnTheDht() throws Exception {
        Path file = Files.write(tmp.resolve("t.torrent"), torrent.toBytes());
        CliRun run = get(file.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().matches("(?s)listening: tcp 127\\.0\\.0\\.1:\\d+\\nlistening: udp 127\\.0\\.0\\.1:\\d+\\n.*"),
                run.out());
        assertTrue(run.line("complete").startsWith(torrent.infoHash().hex() + " " + torrent.totalBytes() + " bytes in "));
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void getsAMagnetLinkWithNoTorrentFile() throws Exception {
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream oldErr = System.err;
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8)); // slf4j-simple's
        CliRun run;
        try {
            run = get("magnet:?xt=urn:btih:" + torrent.infoHash().hex() + "&dn=t");
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(0, run.exitCode(), run.err());
        String logged = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertFalse(logged.contains("[WARN]") || logged.contains("[ERROR]"), logged); // issue 13: no stray WARN
        assertTrue(run.line("complete").startsWith(torrent.infoHash().hex() + " "), run.out());
        assertTrue(TestTorrents.sameTree(tmp.resolve("seed/t"), tmp.resolve("out/t")));
    }

    @Test
    void badMagnetLinkIsAUsageError() {
        assertEquals(2, get("magnet:?xt=urn:btih:nothex").exitCode());
    }
}
