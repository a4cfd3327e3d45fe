package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.daemon.api.Json;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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

    /** Shares {@code path} and waits until it seeds; returns its info_hash. */
    private static String shareAndSeed(ApiClient daemon, Path path) throws Exception {
        String hash = daemon.post("/api/v1/torrents", Map.of("share", path.toString())).at("/torrent/info_hash").asText();
        daemon.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 30);
        return hash;
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

        byte[] torrent = seeder.state().torrents().readTorrent(io.kadtorrent.torrent.metainfo.InfoHash.parse(hash)).orElseThrow();
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
    void skippedFilesAreNotCreatedUntilWantedAndTheChoiceSurvivesARestart() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.multiFile(shared, "album", TestTorrents.awkwardFiles(), 32 * 1024, 8);
        Daemon seeder = start("seeder");
        ApiClient s = api(seeder);
        String hash = shareAndSeed(s, shared.resolve("album"));
        byte[] torrent = seeder.state().torrents().readTorrent(io.kadtorrent.torrent.metainfo.InfoHash.parse(hash)).orElseThrow();

        Daemon leecher = start("leecher");
        ApiClient l = api(leecher);
        String peer = "127.0.0.1:" + seeder.peerAddress().getPort();
        JsonNode added = l.post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(torrent),
                "peers", List.of(peer), "skip", List.of("sub/**")));
        assertTrue(added.at("/torrent/wanted_bytes").asLong() < added.at("/torrent/size_bytes").asLong(), added.toString());
        JsonNode done = l.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 60);
        assertEquals(1.0, done.get("progress").asDouble(), "progress counts what is wanted");
        Path album = tmp.resolve("leecher-downloads/album");
        assertFalse(Files.exists(album.resolve("sub")), "skipped files (and their folder) were created");
        assertArrayEquals(Files.readAllBytes(shared.resolve("album/a.bin")), Files.readAllBytes(album.resolve("a.bin")));
        JsonNode details = l.get("/api/v1/torrents/" + hash);
        for (JsonNode f : details.get("files")) {
            String want = f.get("path").asText().startsWith("sub/") ? "skip" : "normal";
            assertEquals(want, f.get("priority").asText(), f.toString());
        }

        for (Map<String, Object> bad : List.of(Map.<String, Object>of("priority", "urgent", "files", List.of(0)),
                Map.<String, Object>of("priority", "high", "files", List.of(99)),
                Map.<String, Object>of("priority", "high"))) {
            var res = l.send(l.authed("/api/v1/torrents/" + hash + "/files").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(bad))));
            assertEquals(400, res.statusCode(), bad + " -> " + res.body());
        }

        JsonNode wanted = l.post("/api/v1/torrents/" + hash + "/files", Map.of("priority", "high", "globs", List.of("sub/**")));
        assertEquals("downloading", wanted.at("/torrent/state").asText(), "wanting more files is downloading again");
        l.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 60);
        assertTrue(TestTorrents.sameTree(shared.resolve("album"), album), "the files wanted later arrived whole");

        l.post("/api/v1/torrents/" + hash + "/files", Map.of("priority", "skip", "files", List.of(0)));
        leecher.close();
        daemons.remove(leecher);
        ApiClient again = api(start("leecher"));
        again.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 30);
        JsonNode after = again.get("/api/v1/torrents/" + hash);
        assertEquals("skip", after.at("/files/0/priority").asText(), after.toString());
        assertEquals("high", after.at("/files/2/priority").asText(), after.toString());
    }

    @Test
    void rateLimitsOfTheDaemonAndOfATorrentApplyAndAreRemembered() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.singleFile(shared, "song.flac", 900_000, 32 * 1024, 9);
        Daemon seeder = start("seeder");
        ApiClient s = api(seeder);
        String hash = shareAndSeed(s, shared.resolve("song.flac"));
        byte[] torrent = seeder.state().torrents().readTorrent(io.kadtorrent.torrent.metainfo.InfoHash.parse(hash)).orElseThrow();
        JsonNode session = s.post("/api/v1/session/limits", Map.of("upload_bytes_per_second", 2 << 20));
        assertEquals(2 << 20, session.get("upload_limit").asLong());
        assertEquals(0, session.get("download_limit").asLong(), "a limit not given is kept (none)");
        JsonNode own = s.post("/api/v1/torrents/" + hash + "/limits", Map.of("upload_bytes_per_second", 1 << 20));
        assertEquals(1 << 20, own.get("upload_limit").asLong());

        Daemon leecher = start("leecher");
        ApiClient l = api(leecher);
        l.post("/api/v1/session/limits", Map.of("download_bytes_per_second", 3 << 20));
        l.post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(torrent),
                "peers", List.of("127.0.0.1:" + seeder.peerAddress().getPort())));
        l.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 60);
        assertArrayEquals(Files.readAllBytes(shared.resolve("song.flac")),
                Files.readAllBytes(tmp.resolve("leecher-downloads/song.flac")), "a limited transfer completes whole");

        var res = s.send(s.authed("/api/v1/session/limits").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"upload_bytes_per_second\": -5}")));
        assertEquals(400, res.statusCode(), res.body());
        seeder.close();
        daemons.remove(seeder);
        ApiClient again = api(start("seeder"));
        assertEquals(2 << 20, again.get("/api/v1/session").get("upload_limit").asLong(), "the daemon's limit is remembered");
        JsonNode back = again.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 30);
        assertEquals(1 << 20, back.get("upload_limit").asLong(), "the torrent's limit is remembered");
    }

    @Test
    void aFileStreamsWithRangesWhileItDownloadsToWhoeverHasItsKey() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.singleFile(shared, "film.webm", 8 << 20, 64 * 1024, 10);
        byte[] film = Files.readAllBytes(shared.resolve("film.webm"));
        Daemon seeder = start("seeder");
        ApiClient s = api(seeder);
        String hash = shareAndSeed(s, shared.resolve("film.webm"));
        s.post("/api/v1/session/limits", Map.of("upload_bytes_per_second", 1 << 20)); // about 8 s for the whole film
        byte[] torrent = seeder.state().torrents().readTorrent(io.kadtorrent.torrent.metainfo.InfoHash.parse(hash)).orElseThrow();

        Daemon leecher = start("leecher");
        ApiClient l = api(leecher);
        l.post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(torrent),
                "peers", List.of("127.0.0.1:" + seeder.peerAddress().getPort())));
        l.awaitTorrent(hash, t -> !t.get("state").asText().equals("checking"), 60); // its files are open
        JsonNode stream = l.get("/api/v1/torrents/" + hash + "/stream");
        String url = stream.get("url").asText();
        assertTrue(url.contains("/stream/" + hash + "/0?key="), url);

        // a player seeks near the end at once: those bytes come first, long before the rest
        var http = java.net.http.HttpClient.newHttpClient();
        var tail = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Range", "bytes=7000000-7099999").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        double progressThen = l.get("/api/v1/torrents/" + hash).at("/torrent/progress").asDouble();
        assertEquals(206, tail.statusCode());
        assertEquals("bytes 7000000-7099999/" + film.length, tail.headers().firstValue("Content-Range").orElse(""));
        assertEquals("video/webm", tail.headers().firstValue("Content-Type").orElse(""));
        assertArrayEquals(java.util.Arrays.copyOfRange(film, 7_000_000, 7_100_000), tail.body());
        assertTrue(progressThen < 1.0, "the range came before the download finished (progress " + progressThen + ")");

        var whole = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(film, whole.body(), "a read without a range waits for each piece and gets the whole file");

        var noKey = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.replaceAll("\\?key=.*", "")))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noKey.statusCode());
        var wrongKey = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url.replaceAll("key=.*",
                "key=" + "0".repeat(32)))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, wrongKey.statusCode());
        var past = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Range", "bytes=" + film.length + "-").build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(416, past.statusCode());
        assertEquals("bytes */" + film.length, past.headers().firstValue("Content-Range").orElse(""));
        var list = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(stream.get("playlist").asText()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        assertTrue(list.body().startsWith("#EXTM3U\n#EXTINF:-1,film.webm\n" + url + "\n"), list.body());
    }

    @Test
    void aSeedingLimitStopsATorrentAndTheQueueRunsOneDownloadAtATime() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.singleFile(shared, "one.bin", 600_000, 32 * 1024, 11);
        TestTorrents.singleFile(shared, "two.bin", 500_000, 32 * 1024, 12);
        Daemon seeder = start("seeder");
        ApiClient s = api(seeder);
        String one = shareAndSeed(s, shared.resolve("one.bin"));
        String two = shareAndSeed(s, shared.resolve("two.bin"));
        JsonNode policy = s.post("/api/v1/session/policy", Map.of("seed_ratio", 1.0));
        assertEquals(1.0, policy.get("seed_ratio").asDouble());

        Daemon leecher = start("leecher");
        ApiClient l = api(leecher);
        l.post("/api/v1/session/policy", Map.of("active_downloads", 1));
        l.post("/api/v1/session/limits", Map.of("download_bytes_per_second", 256 * 1024)); // the queue is seen
        String peer = "127.0.0.1:" + seeder.peerAddress().getPort();
        for (String hash : List.of(one, two)) {
            byte[] torrent = seeder.state().torrents().readTorrent(io.kadtorrent.torrent.metainfo.InfoHash.parse(hash)).orElseThrow();
            l.post("/api/v1/torrents", Map.of("torrent", Base64.getEncoder().encodeToString(torrent), "peers", List.of(peer)));
        }
        l.awaitTorrent(two, t -> t.get("state").asText().equals("queued"), 30);
        String first = l.awaitTorrent(one, t -> true, 5).get("state").asText();
        assertTrue(List.of("downloading", "seeding").contains(first), "the first added goes first: " + first);
        l.awaitTorrent(one, t -> t.get("state").asText().equals("seeding"), 60);
        l.awaitTorrent(two, t -> t.get("state").asText().equals("seeding"), 60);

        // the seeder uploaded each torrent once: ratio 1 reached, both stop seeding
        JsonNode finished = s.awaitTorrent(one, t -> t.get("state").asText().equals("finished"), 30);
        assertTrue(finished.get("uploaded_bytes").asLong() >= 600_000, finished.toString());
        s.post("/api/v1/torrents/" + one + "/resume", Map.of());
        assertEquals("seeding", s.awaitTorrent(one, t -> true, 5).get("state").asText());
        s.awaitTorrent(two, t -> t.get("state").asText().equals("finished"), 30);
        assertEquals("seeding", s.awaitTorrent(one, t -> true, 5).get("state").asText(),
                "resumed by the user, it seeds on past the limit");
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
        again.restored().get(30, TimeUnit.SECONDS);
        for (JsonNode t : b.get("/api/v1/torrents")) { // restored: every file open, no torrent still checking
            assertNotEquals("checking", t.get("state").asText(), t.toString());
        }
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

    /**
     * {@code share --dht} hands its signed catalog pointer over the API; the daemon keeps it in its state
     * folder and still has it after a restart (when it puts the pointer again at once). Without a DHT node
     * it says it cannot keep one.
     */
    @Test
    void aKeptCatalogPointerIsInTheApiAndSurvivesARestart() throws Exception {
        KeptPointer pointer = KeptPointer.of(io.kadtorrent.dht.items.MutableItem.sign(new byte[32],
                "notes".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 3,
                io.kadtorrent.dht.items.ItemValue.of(("d2:ih20:" + "c".repeat(20) + "e").getBytes(
                        java.nio.charset.StandardCharsets.US_ASCII))));
        Map<String, Object> body = Map.of("key", pointer.key(), "salt", pointer.salt(), "seq", pointer.seq(),
                "value", pointer.value(), "signature", pointer.signature());

        ApiClient noDht = api(start("plain"));
        var refused = noDht.send(noDht.authed("/api/v1/dht/pointers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body))));
        assertEquals(400, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("no DHT node"), refused.body());

        Path state = tmp.resolve("dht-state");
        DaemonConfig config = DaemonConfig.loopback(state, tmp.resolve("dht-downloads")).withDht(0, List.of());
        Daemon d = Daemon.start(config);
        daemons.add(d);
        ApiClient a = api(d);
        assertEquals(3, a.post("/api/v1/dht/pointers", body).get("seq").asLong());
        var forged = new java.util.HashMap<>(body);
        forged.put("seq", 4);
        var bad = a.send(a.authed("/api/v1/dht/pointers").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(forged))));
        assertEquals(400, bad.statusCode(), "a seq the signature does not cover: " + bad.body());
        JsonNode listed = a.get("/api/v1/dht/pointers");
        assertEquals(1, listed.size());
        assertEquals(pointer.signature(), listed.get(0).get("signature").asText());

        d.close();
        daemons.remove(d);
        Daemon again = Daemon.start(config);
        daemons.add(again);
        assertEquals(List.of(pointer), again.keptPointers());
    }
}
