package io.kadtorrent.client.interop;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bench/swarm/mixed.sh} under {@code mvn -Pinterop}: our DHT bootstrap node and seeder,
 * one of our downloaders and one libtorrent downloader that find each other only through that DHT;
 * both copies are diffed against the original. The script installs python3-libtorrent when missing.
 */
@Tag("interop")
class MixedSwarmIT {

    @Test
    void ourDownloaderAndALibtorrentDownloaderCompleteThroughOneDht() throws Exception {
        String out = InteropScript.runPassing("swarm/mixed.sh", Duration.ofMinutes(10));
        assertTrue(out.contains("PASS: our downloader and a libtorrent downloader"), out);
    }
}
