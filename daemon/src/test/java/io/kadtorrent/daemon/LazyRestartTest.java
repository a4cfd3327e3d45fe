package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After a restart complete torrents sleep (listed from their entries, nothing opened) until something needs them. */
class LazyRestartTest {

    private static final int PIECE = 16 * 1024;

    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();

    @AfterEach
    void stop() {
        daemons.forEach(Daemon::close);
    }

    private Daemon start(String name) throws Exception {
        Daemon d = Daemon.start(DaemonConfig.loopback(tmp.resolve(name + "-state"), tmp.resolve(name + "-downloads")));
        daemons.add(d);
        return d;
    }

    private void stop(Daemon d) {
        d.close();
        daemons.remove(d);
    }

    private static ApiClient api(Daemon d) throws Exception {
        return new ApiClient(d, d.state().token());
    }

    private static boolean isSeeding(JsonNode t) {
        return t.get("state").asText().equals("seeding");
    }

    /**
     * Waits (30 s at most) until the seeder's saved entry for {@code hash} says complete: "seeding" shows as soon as
     * the swarm completes, and the completion is written to disk just after.
     */
    private void awaitCompletionRemembered(String hash) throws Exception {
        Path entry = tmp.resolve("seeder-state/torrents/" + hash + ".json");
        for (int i = 0; i < 3_000 && !Files.readString(entry).contains("\"completed\":true"); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(entry).contains("\"completed\":true"), "its completion is remembered");
    }

    /** Shares {@code path} in a daemon "seeder", waits until it seeds, restarts the daemon; its info_hash. */
    private String shareThenRestart(Path path) throws Exception {
        Daemon first = start("seeder");
        ApiClient a = api(first);
        String hash = a.post("/api/v1/torrents", Map.of("share", path.toString())).at("/torrent/info_hash").asText();
        a.awaitTorrent(hash, LazyRestartTest::isSeeding, 30);
        awaitCompletionRemembered(hash);
        stop(first);
        Daemon again = start("seeder");
        again.restored().get(30, TimeUnit.SECONDS);
        return hash;
    }

    private Daemon seeder() {
        return daemons.get(daemons.size() - 1);
    }

    @Test
    void aSleepingSeedIsListedAsBeforeAndServesAPeerThatConnects() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Metainfo m = TestTorrents.multiFile(shared, "album", TestTorrents.awkwardFiles(), PIECE, 31);
        String hash = shareThenRestart(shared.resolve("album"));
        Daemon seeder = seeder();
        ApiClient s = api(seeder);
        assertTrue(seeder.isAsleep(hash));
        JsonNode listed = s.get("/api/v1/torrents").get(0);
        assertEquals("seeding", listed.get("state").asText());
        assertEquals(1.0, listed.get("progress").asDouble());
        assertEquals(m.totalBytes(), listed.get("size_bytes").asLong());
        assertEquals(m.totalBytes(), listed.get("verified_bytes").asLong());
        assertEquals(m.totalBytes(), listed.get("wanted_bytes").asLong());
        assertEquals("album", listed.get("name").asText());

        byte[] torrent = seeder.state().torrents().readTorrent(InfoHash.parse(hash)).orElseThrow();
        Daemon leecher = start("leecher");
        api(leecher).post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(torrent),
                "peers", List.of("127.0.0.1:" + seeder.peerAddress().getPort())));
        api(leecher).awaitTorrent(hash, LazyRestartTest::isSeeding, 60);
        assertTrue(TestTorrents.sameTree(shared.resolve("album"), tmp.resolve("leecher-downloads/album")));

        assertFalse(seeder.isAsleep(hash), "the peer woke it");
        JsonNode served = s.awaitTorrent(hash, t -> t.get("uploaded_bytes").asLong() >= m.totalBytes(), 30);
        assertEquals("seeding", served.get("state").asText());
        assertEquals(0, served.get("downloaded_bytes").asLong(), "nothing downloaded again");
    }

    @Test
    void pauseResumePrioritiesAndRemoveWorkOnASleepingTorrent() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Metainfo m = TestTorrents.multiFile(shared, "album", TestTorrents.awkwardFiles(), PIECE, 32);
        String hash = shareThenRestart(shared.resolve("album"));
        ApiClient s = api(seeder());

        assertEquals("paused", s.post("/api/v1/torrents/" + hash + "/pause", Map.of()).get("state").asText());
        assertTrue(seeder().isAsleep(hash), "pausing needs no swarm");
        assertEquals("seeding", s.post("/api/v1/torrents/" + hash + "/resume", Map.of()).get("state").asText());

        JsonNode changed = s.post("/api/v1/torrents/" + hash + "/files", Map.of("priority", "high", "files", List.of(0)));
        assertFalse(seeder().isAsleep(hash), "a priority wakes it");
        assertEquals("high", changed.at("/files/0/priority").asText(), changed.toString());
        assertEquals(m.files().stream().filter(f -> f.isData()).count(), changed.get("files").size());
        JsonNode woken = s.awaitTorrent(hash, LazyRestartTest::isSeeding, 30);
        assertEquals(1.0, woken.get("progress").asDouble());
        assertEquals(0, woken.get("downloaded_bytes").asLong());

        // asleep again after another restart (a priority other than skip keeps it complete); removed with its data
        stop(seeder());
        Daemon third = start("seeder");
        third.restored().get(30, TimeUnit.SECONDS);
        assertTrue(third.isAsleep(hash));
        api(third).delete("/api/v1/torrents/" + hash + "?delete_data=true");
        assertEquals(0, api(third).get("/api/v1/torrents").size());
        assertFalse(Files.exists(shared.resolve("album/a.bin")), "its data went with it");
        assertFalse(Files.exists(tmp.resolve("seeder-state/resume/" + hash + ".resume")), "and its resume data");
    }

    @Test
    void aSleepingTorrentWhoseDataWentMissingShowsMissingFilesWhenWoken() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.singleFile(shared, "one.bin", 5 * PIECE + 3, PIECE, 33);
        String hash = shareThenRestart(shared.resolve("one.bin"));
        ApiClient s = api(seeder());
        assertTrue(seeder().isAsleep(hash));
        Files.delete(shared.resolve("one.bin"));

        JsonNode details = s.get("/api/v1/torrents/" + hash); // the details need its files: it wakes, and finds none
        assertEquals("missing files", details.at("/torrent/state").asText(), details.toString());
        assertEquals("missing files", s.get("/api/v1/torrents").get(0).get("state").asText());
        assertFalse(Files.exists(shared.resolve("one.bin")), "no empty file was created in its place");
    }

    @Test
    void aSeedWithTrackersAndDhtNodesSleepsTooAndRemembersWhereToAnnounce() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Metainfo plain = TestTorrents.singleFile(shared, "a.bin", 300_000, PIECE, 33);
        int refusing;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refusing = s.getLocalPort(); // closed when the block ends: the tracker's announces fail
        }
        String tracker = "http://127.0.0.1:" + refusing + "/announce";
        @SuppressWarnings("unchecked")
        Map<String, Object> top = new LinkedHashMap<>((Map<String, Object>) BencodeCodec.decode(plain.toBytes(),
                BencodeLimits.TORRENT_FILE));
        top.put("announce", tracker);
        top.put("nodes", List.of(List.of("127.0.0.1", 6881L)));
        byte[] withTrackers = BencodeCodec.encode(top);
        Daemon first = start("seeder");
        String hash = api(first).post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(withTrackers),
                "save_dir", shared.toString())).at("/torrent/info_hash").asText();
        api(first).awaitTorrent(hash, LazyRestartTest::isSeeding, 30);
        awaitCompletionRemembered(hash);
        stop(first);
        Daemon again = start("seeder");
        again.restored().get(30, TimeUnit.SECONDS);

        assertTrue(again.isAsleep(hash), "a tracker no longer keeps it awake");
        TorrentSummary summary = again.state().readSummaries().get(hash);
        assertEquals(List.of(List.of(tracker)), summary.announce());
        assertEquals(List.of("127.0.0.1:6881"), summary.dhtNodes());
        assertEquals("seeding", api(again).get("/api/v1/torrents").get(0).get("state").asText());
    }
}
