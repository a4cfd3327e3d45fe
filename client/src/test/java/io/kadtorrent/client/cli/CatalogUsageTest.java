package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DHT catalog options: wrong combinations are usage errors found before any file or socket is touched. */
class CatalogUsageTest {

    private static void usageError(String expected, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
        assertTrue(run.err().startsWith("error: " + expected), run.err());
    }

    @Test
    void publishTakesExactlyOneOfServerAndDht() {
        usageError("give exactly one of --server HOST:PORT and --dht", "publish", "t.torrent", "--key", "k");
        usageError("give exactly one of --server HOST:PORT and --dht",
                "publish", "t.torrent", "--key", "k", "--dht", "--server", "127.0.0.1:1");
        usageError("--catalog, --data, --keep and --salt go with --dht",
                "publish", "t.torrent", "--key", "k", "--server", "127.0.0.1:1", "--keep");
        usageError("--catalog, --data, --keep and --salt go with --dht",
                "publish", "t.torrent", "--key", "k", "--server", "127.0.0.1:1", "--salt", "s");
        usageError("--dht needs --bootstrap", "publish", "t.torrent", "--key", "k", "--dht");
    }

    @Test
    void searchTakesExactlyOneOfServerAndPublisher() {
        usageError("give exactly one of --server HOST:PORT and --publisher KEY.pub", "search", "x");
        usageError("give exactly one of --server HOST:PORT and --publisher KEY.pub",
                "search", "x", "--server", "127.0.0.1:1", "--publisher", "k.pub");
        usageError("--publisher needs --bootstrap", "search", "x", "--publisher", "k.pub");
        usageError("--salt goes with --publisher", "search", "x", "--server", "127.0.0.1:1", "--salt", "s");
    }

    @Test
    void getWithAPublisherNeedsTheDhtAndNoServer() {
        usageError("--publisher needs --bootstrap", "get", "x", "--publisher", "k.pub", "-o", "out");
        usageError("--publisher finds NAME without a server",
                "get", "x", "--publisher", "k.pub", "-o", "out", "--server", "127.0.0.1:1");
        usageError("--salt goes with --publisher", "get", "x", "-o", "out", "--salt", "s");
    }

    @Test
    void shareInTheDhtNeedsAKeyAndTheDht() {
        usageError("--key goes with --publish or --dht", "share", ".", "--dht", "--state", "none");
        usageError("--key goes with --publish or --dht", "share", ".", "--key", "k", "--state", "none");
        usageError("--dht needs --bootstrap", "share", ".", "--dht", "--key", "k", "--state", "none");
        usageError("--salt and --bootstrap go with --dht", "share", ".", "--salt", "s", "--state", "none");
    }

    @Test
    void helpListsTheNewOptions() {
        assertTrue(CliRun.of("publish", "--help").out().contains("--dht"));
        assertTrue(CliRun.of("search", "--help").out().contains("--publisher=KEY.pub"));
        assertTrue(CliRun.of("get", "--help").out().contains("--publisher=KEY.pub"));
        assertTrue(CliRun.of("metadata-server", "--help").out().contains("--follow=KEYFILE.pub"));
    }
}
