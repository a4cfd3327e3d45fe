package io.kadtorrent.engine.tracker;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scrape over HTTP (BEP 48) and UDP (BEP 15) against a local tracker, and hostile scrape answers. */
class ScrapeTest {

    private static final InfoHash HASH = InfoHash.of(new byte[] {(byte) 0xff, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            13, 14, 15, 16, 17, (byte) 0x80});

    private static AnnounceRequest announce(int port, long left) {
        byte[] peerId = ("-KD0100-" + "x".repeat(11) + port % 10).getBytes(StandardCharsets.US_ASCII);
        return new AnnounceRequest(HASH, peerId, port, 0, 0, left, AnnounceRequest.Event.STARTED, 7, 50);
    }

    @Test
    void aScrapeCountsTheSeedersAndLeechersThatAnnouncedOverHttpAndUdp() throws Exception {
        try (LocalTracker tracker = new LocalTracker()) {
            TrackerClient client = new TrackerClient();
            client.announce(URI.create(tracker.httpUrl()), announce(6001, 0));
            client.announce(URI.create(tracker.udpUrl()), announce(6002, 1000));
            client.announce(URI.create(tracker.udpUrl()), announce(6003, 5));
            Map<InfoHash, ScrapeResult> http = client.scrape(URI.create(tracker.httpUrl()), List.of(HASH));
            assertEquals(Map.of(HASH, new ScrapeResult(1, 0, 2)), http);
            Map<InfoHash, ScrapeResult> udp = client.scrape(URI.create(tracker.udpUrl()), List.of(HASH));
            assertEquals(Map.of(HASH, new ScrapeResult(1, 0, 2)), udp);
        }
    }

    @Test
    void theScrapeUrlFollowsBep48AndATrackerWithoutOneSaysSo() {
        URI u = HttpTrackerCodec.scrapeUri(URI.create("http://t.example/x/announce.php?k=1"), List.of(HASH)).orElseThrow();
        assertEquals("http://t.example/x/scrape.php?k=1&info_hash=%FF%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%80",
                u.toString());
        assertTrue(HttpTrackerCodec.scrapeUri(URI.create("http://t.example/a"), List.of(HASH)).isEmpty());
        assertTrue(HttpTrackerCodec.scrapeUri(URI.create("http://t.example/announce/x"), List.of(HASH)).isEmpty());
    }

    @Test
    void hostileScrapeAnswersAreRefusedWithAReason() throws Exception {
        assertThrows(TrackerException.class, () -> HttpTrackerCodec.parseScrape("d5:filesi3ee".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(TrackerException.class, () -> HttpTrackerCodec.parseScrape("garbage".getBytes(StandardCharsets.US_ASCII)));
        TrackerException refused = assertThrows(TrackerException.class, () -> HttpTrackerCodec.parseScrape(
                "d14:failure reason4:nopee".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("tracker refused: nope", refused.getMessage());
        // a key that is no info_hash is skipped, a negative count reads as unknown (-1)
        byte[] odd = "d5:filesd3:abcd8:completei1eeee".getBytes(StandardCharsets.US_ASCII);
        assertTrue(HttpTrackerCodec.parseScrape(odd).isEmpty());
        assertThrows(TrackerException.class, () -> UdpTrackerCodec.scrapeAnswer(
                java.nio.ByteBuffer.allocate(12).putInt(2).putInt(9).putInt(1).flip(), 9, List.of(HASH)),
                "an answer too short for the torrents asked");
    }
}
