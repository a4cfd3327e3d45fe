package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DaemonTest {

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

    private static ApiClient api(Daemon d) throws Exception {
        return new ApiClient(d, d.state().token());
    }

    @Test
    void sharesAFolderAndAnotherDaemonDownloadsItThenRemovesItWithItsData() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.multiFile(shared, "album", TestTorrents.awkwardFiles(), 32 * 1024, 7);
        Daemon seeder = start("seeder");
        ApiClient s = api(seeder);
        JsonNode added = s.post("/api/v1/torrents", Map.of("share", shared.resolve("album").toString()));
        String hash = added.at("/torrent/info_hash").asText();
        assertFalse(added.get("existed").asBoolean());
        JsonNode seeding = s.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 30);
        assertEquals(1.0, seeding.get("progress").asDouble());
        // sharing the same folder again is not an error: it is the torrent already there
        assertTrue(s.post("/api/v1/torrents", Map.of("share", shared.resolve("album").toString())).get("existed")
                .asBoolean());

        byte[] torrent = seeder.state().readTorrent(io.kadtorrent.torrent.metainfo.InfoHash.parse(hash)).orElseThrow();
        Metainfo m = io.kadtorrent.torrent.metainfo.MetainfoParser.parse(torrent);
        Daemon leecher = start("leecher");
        ApiClient l = api(leecher);
        l.post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(torrent),
                "peers", List.of("127.0.0.1:" + seeder.peerAddress().getPort())));
        l.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 60);
        assertTrue(TestTorrents.sameTree(shared.resolve("album"), tmp.resolve("leecher-downloads/album")));

        JsonNode details = l.get("/api/v1/torrents/" + hash.substring(0, 8));
        assertEquals(hash, l.get("/api/v1/torrents/ALB").at("/torrent/info_hash").asText(), "the start of a name");
        assertEquals(m.files().size(), details.get("files").size());
        for (JsonNode f : details.get("files")) {
            assertEquals(1.0, f.get("progress").asDouble(), f.toString());
        }
        assertEquals(m.pieceCount(), details.get("piece_count").asInt());

        Path userFile = Files.writeString(tmp.resolve("leecher-downloads/album/mine.txt"), "not the torrent's");
        l.delete("/api/v1/torrents/album?delete_data=true");
        assertEquals(0, l.get("/api/v1/torrents").size());
        assertTrue(Files.exists(userFile), "a file the torrent does not name is kept");
        try (var left = Files.walk(tmp.resolve("leecher-downloads/album"))) {
            assertEquals(List.of(tmp.resolve("leecher-downloads/album"), userFile), left.sorted().toList());
        }
        assertTrue(Files.exists(shared.resolve("album")), "the seeder's data is untouched");
    }

    @Test
    void aRestartedDaemonBringsBackItsTorrentsPausedOrNotWithoutDownloadingAgain() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Metainfo one = TestTorrents.singleFile(shared, "one.bin", 300_000, 16 * 1024, 1);
        Metainfo two = TestTorrents.singleFile(shared, "two.bin", 200_000, 16 * 1024, 2);
        Daemon d = start("d");
        ApiClient a = api(d);
        a.post("/api/v1/torrents", Map.of("share", shared.resolve("one.bin").toString()));
        a.post("/api/v1/torrents", Map.of("share", shared.resolve("two.bin").toString(), "paused", true));
        a.awaitTorrent(one.infoHash().hex(), t -> t.get("state").asText().equals("seeding"), 30);
        d.close();
        daemons.remove(d);

        Daemon again = start("d");
        ApiClient b = api(again);
        b.awaitTorrent(one.infoHash().hex(), t -> t.get("state").asText().equals("seeding"), 30);
        JsonNode paused = b.awaitTorrent(two.infoHash().hex(), t -> t.get("state").asText().equals("paused"), 30);
        assertEquals(1.0, paused.get("progress").asDouble());
        assertEquals(0, paused.get("downloaded_bytes").asLong());
        b.post("/api/v1/torrents/" + two.infoHash().hex() + "/resume", Map.of());
        b.awaitTorrent(two.infoHash().hex(), t -> t.get("state").asText().equals("seeding"), 30);

        // the data of a complete torrent vanishes: after a restart it is shown as missing, not downloaded again
        again.close();
        daemons.remove(again);
        Files.delete(shared.resolve("one.bin"));
        Daemon third = start("d");
        JsonNode missing = api(third).awaitTorrent(one.infoHash().hex(),
                t -> t.get("state").asText().equals("missing files"), 30);
        assertFalse(Files.exists(shared.resolve("one.bin")), "no empty file was created in its place");
        assertEquals("missing files", missing.get("error").asText());
    }

    @Test
    void theApiRefusesRequestsWithoutTokenFromForeignSitesAndBadInput() throws Exception {
        Daemon d = start("d");
        ApiClient a = api(d);
        Path token = d.state().path().resolve("token");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.state().path())));

        assertEquals(401, a.send(a.request("/api/v1/torrents").GET()).statusCode());
        assertEquals(401, a.send(a.request("/metrics").GET()).statusCode());
        assertEquals(401, a.send(a.request("/api/v1/torrents").header("Authorization", "Bearer nope").GET())
                .statusCode());
        assertEquals(403, a.send(a.authed("/api/v1/torrents").header("Origin", "http://evil.example").GET())
                .statusCode());
        assertEquals(403, a.send(a.authed("/api/v1/torrents").header("Origin", "null").GET()).statusCode());
        // DNS rebinding: the browser sends the attacker's name as Host
        String rebound = a.raw("GET /api/v1/torrents HTTP/1.1\r\nHost: evil.example:" + d.httpAddress().getPort()
                + "\r\nAuthorization: Bearer " + d.state().token() + "\r\nConnection: close\r\n\r\n");
        assertTrue(rebound.startsWith("HTTP/1.1 403"), rebound);
        String noHost = a.raw("GET /api/v1/torrents HTTP/1.0\r\nAuthorization: Bearer " + d.state().token()
                + "\r\n\r\n");
        assertTrue(noHost.startsWith("HTTP/1.0 403") || noHost.startsWith("HTTP/1.1 403"), noHost);
        assertEquals(200, a.send(a.authed("/api/v1/torrents").GET()).statusCode());
        assertEquals(200, a.send(a.authed("/metrics").GET()).statusCode());

        var login = a.send(a.request("/login?token=" + d.state().token()).GET());
        assertEquals(303, login.statusCode());
        String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
        assertEquals(200, a.send(a.request("/api/v1/torrents").header("Cookie", cookie).GET()).statusCode());
        assertEquals(403, a.send(a.request("/api/v1/torrents/x/pause").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.noBody())).statusCode(), "a cookie alone cannot change anything");
        assertEquals(401, a.send(a.request("/login?token=wrong").GET()).statusCode());

        for (String body : List.of("{", "{}", "{\"magnet\":\"magnet:?xt=urn:btih:zz\"}", "{\"torrent\":\"AAAA\"}",
                "{\"share\":\"relative/path\"}", "{\"info_hash\":\"00\",\"magnet\":\"x\"}", "{\"surprise\":1}")) {
            var res = a.send(a.authed("/api/v1/torrents").POST(HttpRequest.BodyPublishers.ofString(body)));
            assertEquals(400, res.statusCode(), body + " -> " + res.body());
            assertTrue(res.body().contains("\"error\""), res.body());
        }
        assertEquals(404, a.send(a.authed("/api/v1/torrents/abcdef").GET()).statusCode());
        assertEquals(405, a.send(a.authed("/api/v1/torrents/abcdef/pause").GET()).statusCode());
        assertEquals(404, a.send(a.authed("/api/v1/nothing").GET()).statusCode());
        var huge = a.send(a.authed("/api/v1/torrents").POST(HttpRequest.BodyPublishers.ofByteArray(new byte[40 << 20])));
        assertEquals(413, huge.statusCode());
        assertEquals(0, a.get("/api/v1/torrents").size());
    }

    @Test
    void eventsStreamTheListAndMetricsCountTheTorrents() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.singleFile(shared, "one.bin", 100_000, 16 * 1024, 1);
        Daemon d = start("d");
        ApiClient a = api(d);
        String hash = a.post("/api/v1/torrents", Map.of("share", shared.resolve("one.bin").toString()))
                .at("/torrent/info_hash").asText();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", d.httpAddress().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1:" + d.httpAddress().getPort()
                    + "\r\nAuthorization: Bearer " + d.state().token() + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                    java.nio.charset.StandardCharsets.UTF_8));
            assertTrue(in.readLine().startsWith("HTTP/1.1 200"));
            int events = 0;
            for (String line = in.readLine(); line != null && events < 2; line = in.readLine()) {
                if (line.startsWith("data: ")) {
                    assertTrue(line.contains(hash), line);
                    events++;
                }
            }
            assertEquals(2, events, "the list at once, then again after a sample");
        }
        String metrics = a.send(a.authed("/metrics").GET()).body();
        assertTrue(metrics.contains("kadtorrent_torrents 1"), metrics);
        assertTrue(metrics.contains("kadtorrent_torrent_size_bytes{info_hash=\"" + hash + "\",name=\"one.bin\""),
                metrics);
    }

    @Test
    void aSecondDaemonOnTheSameStateFolderIsRefused() throws Exception {
        start("d");
        var e = assertThrows(java.io.IOException.class, () -> start("d"));
        assertTrue(e.getMessage().contains("another kadtorrent daemon"), e.getMessage());
    }

    @Test
    void theEncryptionPolicyIsSavedWithTheOtherSettings() throws Exception {
        Path state = tmp.resolve("enc-state");
        Daemon d = Daemon.start(DaemonConfig.loopback(state, tmp.resolve("enc-downloads"))
                .withEncryption(io.kadtorrent.engine.mse.EncryptionPolicy.REQUIRE));
        daemons.add(d);
        assertEquals("require", StateDir.readSettings(state).get("encryption"));
    }
}
