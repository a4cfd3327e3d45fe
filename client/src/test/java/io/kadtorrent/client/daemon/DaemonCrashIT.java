package io.kadtorrent.client.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.testing.LocalSessions;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon is killed with SIGKILL in the middle of three downloads and restarted: it brings all three
 * back, keeps every piece it had verified, and fetches only the rest.
 */
class DaemonCrashIT {

    private static final int PIECE = 64 * 1024;
    private static final long SIZE = 4L << 20; // 64 pieces each

    @TempDir
    Path tmp;

    @RegisterExtension
    final LocalSessions sessions = new LocalSessions();

    @Test
    void aDaemonKilledMidwayResumesThreeDownloadsWithoutFetchingAVerifiedPieceAgain() throws Exception {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Path half = Files.createDirectories(tmp.resolve("half"));
        List<Metainfo> torrents = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Metainfo m = TestTorrents.singleFile(full, "file" + i + ".bin", SIZE + i * 1000, PIECE, 40 + i);
            torrents.add(m);
            // a seeder with only the first half: its second half is damaged, so only those pieces verify
            Path copy = Files.copy(full.resolve(m.name()), half.resolve(m.name()));
            try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
                f.seek(SIZE / 2);
                f.write(new byte[(int) (f.length() - SIZE / 2)]);
            }
        }
        Session halfSeeder = sessions.start();
        for (Metainfo m : torrents) {
            halfSeeder.add(m, half);
        }
        Path state = tmp.resolve("state");
        Path downloads = tmp.resolve("downloads");
        Map<String, Long> verifiedBeforeKill = new HashMap<>();
        try (DaemonProcess daemon = DaemonProcess.start(state, downloads)) {
            for (Metainfo m : torrents) {
                daemon.add(Map.of("torrent", Base64.getEncoder().encodeToString(m.toBytes()),
                        "peers", List.of("127.0.0.1:" + halfSeeder.localAddress().getPort())));
            }
            // every piece the half seeder has is verified (and nothing more can come): kill it now
            for (JsonNode t : daemon.awaitAll(t -> t.get("verified_bytes").asLong() >= SIZE / 2, 120)) {
                verifiedBeforeKill.put(t.get("info_hash").asText(), t.get("verified_bytes").asLong());
            }
            daemon.kill9();
        }
        sessions.closeNow(halfSeeder);
        assertEquals(3, verifiedBeforeKill.size());

        // only --state: the ports, addresses and download folder come from the settings the first start saved
        try (DaemonProcess again = DaemonProcess.restart(state)) {
            // back from the state folder, with every verified piece still verified, before any peer is there
            JsonNode back = again.awaitAll(t -> !t.get("state").asText().equals("checking"), 120);
            assertEquals(3, back.size());
            Map<String, Long> verifiedAtRestart = new HashMap<>();
            for (JsonNode t : back) {
                assertTrue(t.get("verified_bytes").asLong() >= verifiedBeforeKill.get(t.get("info_hash").asText()),
                        "lost verified pieces: " + t);
                verifiedAtRestart.put(t.get("info_hash").asText(), t.get("verified_bytes").asLong());
            }
            Session seeder = sessions.start();
            for (Metainfo m : torrents) {
                seeder.add(m, full).addPeers(List.of(new InetSocketAddress("127.0.0.1", again.peerPort)), true);
            }
            JsonNode done = again.awaitAll(t -> t.get("state").asText().equals("seeding"), 120);
            for (JsonNode listed : done) {
                // the list is up to a second old; the details read the counters now
                JsonNode t = again.call("GET", "/api/v1/torrents/" + listed.get("info_hash").asText(), null).get("torrent");
                long missing = t.get("size_bytes").asLong() - verifiedAtRestart.get(t.get("info_hash").asText());
                long fetched = t.get("downloaded_bytes").asLong();
                System.out.printf("after kill -9: %s fetched %d bytes, %d were missing%n", t.get("name").asText(),
                        fetched, missing);
                assertTrue(fetched <= missing, t.get("name").asText() + " fetched " + fetched
                        + " bytes after the restart, but only " + missing + " were not verified");
            }
            for (Metainfo m : torrents) {
                assertArrayEquals(Files.readAllBytes(full.resolve(m.name())), Files.readAllBytes(downloads.resolve(m.name())),
                        m.name());
            }
            int exit = again.stop();
            assertTrue(exit == 0 || exit == 143, "SIGTERM stops the daemon through its shutdown hook, exit " + exit);
        }
        try (var resume = Files.list(state.resolve("resume"))) {
            assertEquals(3, resume.count(), "the resume data is in the state folder");
        }
        assertTrue(Files.notExists(downloads.resolve(".kadtorrent")), "and not beside the data");
        assertTrue(Files.notExists(state.resolve("daemon.json")), "a stopped daemon leaves no endpoint file");
    }
}
