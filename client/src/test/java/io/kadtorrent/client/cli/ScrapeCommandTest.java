package io.kadtorrent.client.cli;

import com.sun.net.httpserver.HttpServer;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScrapeCommandTest {

    @Test
    void scrapePrintsWhatEachTrackerSaysAndFailsWhenNoneAnswers() throws Exception {
        InfoHash hash = InfoHash.parse("ab".repeat(20));
        HttpServer tracker = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        tracker.createContext("/scrape", ex -> {
            byte[] body = BencodeCodec.encode(Map.of("files", Map.of(new String(hash.bytes(), StandardCharsets.ISO_8859_1),
                    Map.of("complete", 3L, "downloaded", 9L, "incomplete", 5L))));
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        tracker.start();
        try {
            String url = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/announce";
            String noScrape = "http://127.0.0.1:" + tracker.getAddress().getPort() + "/a";
            CliRun run = CliRun.of("scrape", "magnet:?xt=urn:btih:" + hash.hex() + "&tr=" + url + "&tr=" + noScrape);
            assertEquals(0, run.exitCode(), run.err());
            assertEquals("tracker: " + url + " seeders 3 leechers 5 completed 9", run.out().strip());
            assertTrue(run.err().contains("tracker: " + noScrape + ": " + noScrape + " has no scrape URL"), run.err());

            CliRun none = CliRun.of("scrape", "magnet:?xt=urn:btih:" + hash.hex() + "&tr=" + noScrape);
            assertEquals(1, none.exitCode());
            assertEquals(2, CliRun.of("scrape", "magnet:?xt=urn:btih:" + hash.hex()).exitCode(), "no tracker: usage");
        } finally {
            tracker.stop(0);
        }
    }
}
