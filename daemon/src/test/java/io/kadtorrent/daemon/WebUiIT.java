package io.kadtorrent.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.engine.testing.TestTorrents.TestFile;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web UI in a real headless chromium against two daemons on loopback: a folder shared from the seeder's
 * page, its .torrent uploaded on the leecher's page, the download watched to 100 %, paused, resumed, looked at
 * in the details pane and removed with its data, the API checked after every step.
 * {@code -Dscreenshots=docs/screenshots} also saves the pictures of {@code docs/web-ui.md}.
 */
class WebUiIT {

    private static final int MIB = 1024 * 1024;
    private static final List<TestFile> PHOTOS = List.of(
            TestFile.of(2 * MIB + 123_457, "day-1", "beach.jpg"),
            TestFile.of(MIB + 654_321, "day-1", "sunset.jpg"),
            TestFile.of(2 * MIB, "day-2", "hike.mp4"),
            TestFile.of(1_234, "notes.txt"));

    @TempDir
    Path tmp;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private Daemon daemon(String name) throws Exception {
        Daemon d = Daemon.start(DaemonConfig.loopback(tmp.resolve(name + "-state"), tmp.resolve(name + "-downloads")));
        open.add(d);
        return d;
    }

    private static String base(Daemon d) {
        return "http://127.0.0.1:" + d.httpAddress().getPort();
    }

    private static String row(String infoHash) {
        return "tr.torrent[data-info-hash='" + infoHash + "']";
    }

    private static Optional<JsonNode> listed(ApiClient api, String infoHash) throws Exception {
        for (JsonNode t : api.get("/api/v1/torrents")) {
            if (t.get("info_hash").asText().equals(infoHash)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    private static void login(WebUiBrowser b, Daemon d) throws Exception {
        b.open(base(d) + "/login?token=" + d.state().token());
        b.await("the page's event stream goes live", 30,
                w -> "live".equals(b.find("#link").getDomAttribute("data-state")));
    }

    @Test
    void sharesDownloadsPausesResumesShowsAndRemovesATorrentFromTheBrowser() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        TestTorrents.multiFile(shared, "holiday-photos", PHOTOS, 64 * 1024, 11);
        Path own = Files.createDirectories(tmp.resolve("own"));
        TestTorrents.multiFile(own, "field-recordings", List.of(TestFile.of(3 * MIB + 77, "rain.flac"),
                TestFile.of(MIB, "thunder.flac")), 64 * 1024, 12);
        WebUiBrowser b = WebUiBrowser.start(tmp.resolve("chromium-profile")); // first: it may skip the test
        open.add(b);
        Daemon seeder = daemon("seeder");
        Daemon leecher = daemon("leecher");
        ApiClient seederApi = new ApiClient(seeder, seeder.state().token());
        ApiClient api = new ApiClient(leecher, leecher.state().token());

        // the seeder's page: share a folder by its path
        login(b, seeder);
        b.find("#share-path").sendKeys(shared.resolve("holiday-photos").toString());
        b.find("#add-share button[type=submit]").click();
        WebElement shareRow = b.await("the shared folder is listed as seeding", 60, w -> b.findAll("tr.torrent").stream()
                .filter(r -> "seeding".equals(r.getDomAttribute("data-state"))).findFirst().orElse(null));
        String hash = shareRow.getDomAttribute("data-info-hash");
        assertEquals("seeding", listed(seederApi, hash).orElseThrow().get("state").asText());
        byte[] torrent = seeder.state().torrents().readTorrent(InfoHash.parse(hash)).orElseThrow();
        Metainfo metainfo = MetainfoParser.parse(torrent);
        Path torrentFile = Files.write(tmp.resolve("holiday-photos.torrent"), torrent);

        // the leecher's page: a torrent of its own seeding, then the seeder's .torrent uploaded through a relay
        // that stops the download part-way until we have looked at it
        api.post("/api/v1/torrents", Map.of("share", own.resolve("field-recordings").toString()));
        long size = metainfo.totalBytes();
        WebUiRelay relay = new WebUiRelay(seeder.peerAddress(), size * 6 / 10, MIB);
        open.add(relay);
        login(b, leecher);
        b.find("#peers-input").sendKeys("127.0.0.1:" + relay.address().getPort());
        b.find("#torrent-file").sendKeys(torrentFile.toString());
        b.await("the download shows part of the data", 60, w -> {
            WebElement r = b.find(row(hash));
            return "downloading".equals(r.getDomAttribute("data-state"))
                    && Double.parseDouble(r.getDomAttribute("data-progress")) >= 0.15;
        });
        JsonNode mid = listed(api, hash).orElseThrow();
        assertEquals("downloading", mid.get("state").asText());
        assertTrue(mid.get("progress").asDouble() > 0 && mid.get("progress").asDouble() < 1, mid.toString());
        assertEquals(size, mid.get("size_bytes").asLong());
        assertTrue(b.find(row(hash) + " .bar-label").getText().endsWith(" %"));
        assertEquals("holiday-photos", b.find(row(hash) + " .name-button").getText());
        assertEquals("5.74 MiB", b.find(row(hash) + " .size").getText(), "binary units: 6,021,892 bytes");

        b.find(row(hash) + " .name-button").click();
        b.await("the details pane lists files, the seeder and part of the pieces", 30, w -> {
            WebElement map = b.find("#piece-map");
            return b.find("#details").isDisplayed()
                    && hash.equals(b.find("#details").getDomAttribute("data-info-hash"))
                    && b.findAll("#files tr.file").size() == PHOTOS.size()
                    && !b.findAll("#peers tr.peer").isEmpty()
                    && Integer.parseInt(map.getDomAttribute("data-verified")) > 0
                    && Integer.parseInt(map.getDomAttribute("data-verified"))
                    < Integer.parseInt(map.getDomAttribute("data-piece-count"));
        });
        assertEquals(String.valueOf(metainfo.pieceCount()), b.find("#piece-map").getDomAttribute("data-piece-count"));
        b.screenshot("downloading");

        relay.open();
        b.await("the download reaches 100 % and seeds", 120, w -> {
            WebElement r = b.find(row(hash));
            return "seeding".equals(r.getDomAttribute("data-state"))
                    && "100 %".equals(r.findElement(By.cssSelector(".bar-label")).getText());
        });
        JsonNode done = listed(api, hash).orElseThrow();
        assertEquals("seeding", done.get("state").asText());
        assertEquals(1.0, done.get("progress").asDouble());
        assertTrue(TestTorrents.sameTree(shared.resolve("holiday-photos"), tmp.resolve("leecher-downloads/holiday-photos")));
        b.await("the details pane shows every file and piece verified", 30, w ->
                b.findAll("#files tr.file").stream().allMatch(f -> "1".equals(f.getDomAttribute("data-progress")))
                        && b.find("#piece-map").getDomAttribute("data-verified")
                        .equals(b.find("#piece-map").getDomAttribute("data-piece-count")));
        b.screenshot("details");

        // a file's priority from its row's menu: the API remembers it, the row shows it
        b.await("the first file's priority is set to low", 30, w -> {
            try {
                new org.openqa.selenium.support.ui.Select(b.find("#files tr.file select.priority")).selectByValue("low");
                return true;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        b.await("the first file shows priority low", 30, w ->
                "low".equals(b.findAll("#files tr.file").get(0).getDomAttribute("data-priority")));
        assertEquals("low", api.get("/api/v1/torrents/" + hash).at("/files/0/priority").asText());
        assertEquals("seeding", listed(api, hash).orElseThrow().get("state").asText(), "its data is all there");
        b.find("#details-close").click();
        b.await("the details pane closes", 10, w -> !b.find("#details").isDisplayed());
        b.screenshot("complete");

        // pause and resume from the row's button
        b.find(row(hash) + " button.toggle").click();
        b.await("the row shows paused with a Resume button", 30, w ->
                "paused".equals(b.find(row(hash)).getDomAttribute("data-state"))
                        && "Resume".equals(b.find(row(hash) + " button.toggle").getText()));
        assertEquals("paused", listed(api, hash).orElseThrow().get("state").asText());
        b.find(row(hash) + " button.toggle").click();
        b.await("the row seeds again with a Pause button", 30, w ->
                "seeding".equals(b.find(row(hash)).getDomAttribute("data-state"))
                        && "Pause".equals(b.find(row(hash) + " button.toggle").getText()));
        assertEquals("seeding", listed(api, hash).orElseThrow().get("state").asText());

        // remove it with its data, after the dialog's confirmation
        b.find(row(hash) + " button.remove").click();
        b.await("the remove dialog opens", 10, w -> b.find("#remove-dialog").isDisplayed());
        assertEquals("holiday-photos", b.find("#remove-name").getText());
        b.find("#remove-data").click();
        assertTrue(b.find("#remove-warning").isDisplayed());
        b.find("#remove-confirm").click();
        b.await("the row and its details are gone", 30, w ->
                b.findAll(row(hash)).isEmpty() && !b.find("#details").isDisplayed());
        assertTrue(listed(api, hash).isEmpty());
        assertEquals(1, api.get("/api/v1/torrents").size(), "the leecher's own torrent stays");
        // the list may drop the row a moment before the DELETE has stopped the swarm and deleted the files
        b.await("the downloaded files are deleted", 30, w -> noFileUnder(tmp.resolve("leecher-downloads")));

        // the same .torrent dropped on the page, to start paused; removed again keeping its (empty) folder
        b.find("#start-paused").click();
        b.dropFile("holiday-photos.torrent", torrent);
        b.await("the dropped torrent is listed paused", 30, w -> b.findAll(row(hash)).stream()
                .anyMatch(r -> "paused".equals(r.getDomAttribute("data-state"))));
        assertEquals("paused", listed(api, hash).orElseThrow().get("state").asText());
        b.find(row(hash) + " button.remove").click();
        b.await("the remove dialog opens", 10, w -> b.find("#remove-dialog").isDisplayed());
        assertFalse(b.find("#remove-data").isSelected(), "deleting data is never the default");
        b.find("#remove-confirm").click();
        b.await("the dropped torrent's row is gone", 30, w -> b.findAll(row(hash)).isEmpty());
        assertTrue(listed(api, hash).isEmpty());

        // the daemon's own words for bad input
        b.find("#link-input").sendKeys("magnet:?xt=urn:btih:zz");
        b.find("#add-link button[type=submit]").click();
        String error = b.await("the page shows the API's error", 30, w -> b.findAll("#errors .error").stream()
                .map(WebElement::getText).filter(t -> t.startsWith("Cannot add this link: ")).findFirst().orElse(null));
        assertTrue(error.length() > "Cannot add this link: ".length() + 3, error);
        assertEquals(1, api.get("/api/v1/torrents").size());

        // the daemon goes away: the page says so instead of showing a frozen table
        open.remove(leecher);
        leecher.close();
        b.await("the page shows the lost connection", 30, w ->
                !"live".equals(b.find("#link").getDomAttribute("data-state")));
        assertFalse(b.find("#link").getText().isBlank());
    }

    @Test
    void thePlayerPlaysAFileWhileItDownloadsAndSeeks() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Path wav = shared.resolve("tone.wav");
        Files.write(wav, wave(30, 16_000)); // 30 s of 16 kHz 16-bit mono sound: 960 KB
        WebUiBrowser b = WebUiBrowser.start(tmp.resolve("chromium-profile"));
        open.add(b);
        Daemon seeder = daemon("seeder");
        ApiClient seederApi = new ApiClient(seeder, seeder.state().token());
        String hash = seederApi.post("/api/v1/torrents", Map.of("share", wav.toString())).at("/torrent/info_hash").asText();
        seederApi.awaitTorrent(hash, t -> t.get("state").asText().equals("seeding"), 30);
        // 80 s for the file, longer than the wait for the first second of sound: whatever the machine's load,
        // the player must start on a partial file; the limit is lifted for the seek
        seederApi.post("/api/v1/session/limits", Map.of("upload_bytes_per_second", 12 * 1024));
        byte[] torrent = seeder.state().torrents().readTorrent(InfoHash.parse(hash)).orElseThrow();

        Daemon leecher = daemon("leecher");
        ApiClient api = new ApiClient(leecher, leecher.state().token());
        api.post("/api/v1/torrents", Map.of("torrent", java.util.Base64.getEncoder().encodeToString(torrent),
                "peers", List.of("127.0.0.1:" + seeder.peerAddress().getPort())));
        login(b, leecher);
        b.find(row(hash) + " .name-button").click();
        b.await("the details pane's Play button is clicked", 30, w -> {
            try { // the file rows are drawn again every second: a button found may be gone when clicked
                b.find("#files button.play").click();
                return true;
            } catch (org.openqa.selenium.NoSuchElementException | org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
        var js = (org.openqa.selenium.JavascriptExecutor) b.driver();
        b.await("the player plays the first second", 60, w -> ((Number) js.executeScript(
                "return document.querySelector('#player').currentTime;")).doubleValue() > 1.0);
        double progress = listed(api, hash).orElseThrow().get("progress").asDouble();
        assertTrue(progress < 1.0, "it played while the file was still downloading (progress " + progress + ")");
        seederApi.post("/api/v1/session/limits", Map.of("upload_bytes_per_second", 1024 * 1024));

        js.executeScript("document.querySelector('#player').currentTime = 20;");
        b.await("the player plays on after a seek to two thirds", 60, w -> ((Number) js.executeScript(
                "return document.querySelector('#player').currentTime;")).doubleValue() > 20.5);
        assertEquals("Playing tone.wav", b.find("#player-title").getDomProperty("textContent"));
        b.screenshot("player");
    }

    /** A WAV file: {@code seconds} of a 440 Hz tone, 16-bit mono at {@code rate} samples per second. */
    private static byte[] wave(int seconds, int rate) {
        int samples = seconds * rate;
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(44 + 2 * samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * samples)
                .put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * samples);
        for (int i = 0; i < samples; i++) {
            out.putShort((short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate)));
        }
        return out.array();
    }

    private static boolean noFileUnder(Path dir) {
        try (var left = Files.walk(dir)) {
            return left.noneMatch(Files::isRegularFile);
        } catch (IOException | UncheckedIOException e) {
            return false; // a file went while the walk passed by: look again
        }
    }
}
