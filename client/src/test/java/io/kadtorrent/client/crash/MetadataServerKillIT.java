package io.kadtorrent.client.crash;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.catalog.CatalogEntry;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kadtorrent metadata-server} taking a stream of pipelined publishes is killed with SIGKILL at seeded
 * random moments (after a random number of acknowledgements, with publishes still in flight) and started
 * again. After every restart: the catalog folder holds nothing but whole torrents and their signatures, and
 * every publish acknowledged before any kill is there; at the end every entry's signature verifies.
 */
@Tag("crash")
class MetadataServerKillIT {

    private static final int IN_FLIGHT = 8;
    private static final int MAX_ACKS_BEFORE_KILL = 40;
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What a running or restarted catalog folder may hold: torrents, signatures, and (before a sweep) temp files. */
    private static final Pattern CATALOG_FILE = Pattern.compile("[0-9a-f]{40}\\.(torrent|sig)");
    private static final Pattern TEMP_FILE = Pattern.compile(".*\\.tmp");

    @TempDir
    Path tmp;

    @Test
    void aServerKilledAmidPublishesKeepsEveryAcknowledgedOneAndNothingTorn() throws Exception {
        KillSchedule schedule = KillSchedule.fromSystemProperties(3);
        SigningKey key = SigningKey.generate(new SecureRandom());
        Path keyFile = tmp.resolve("publisher");
        key.writeTo(keyFile);
        Path catalog = tmp.resolve("catalog");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Set<InfoHash> acknowledged = ConcurrentHashMap.newKeySet();
        int next = 0;
        int inFlightAtKills = 0;
        for (int kill = 0; kill <= schedule.kills(); kill++) {
            List<String> args = List.of("metadata-server", "--dir", catalog.toString(), "--port", "0", "--dht-port", "0",
                    "--bind", "127.0.0.1", "--allow-key", SigningKey.publicKeyFile(keyFile).toString());
            try (CliProcess server = CliProcess.start("metadata-server", home, args)) {
                HostAndPort address = HostAndPort.fromString(server.awaitPrefixed("listening: tcp ", WAIT));
                int listed = Integer.parseInt(server.awaitPrefixed("catalog: ", WAIT).split(" ")[0]);
                String when = "restart " + kill + " (" + schedule + ")";
                // the server swept what the kill left: only whole torrents with their signatures remain
                DiskState.assertOnly(catalog, f -> CATALOG_FILE.matcher(f).matches(), when);
                List<String> files = DiskState.files(catalog);
                assertEquals(2 * listed, files.size(), when + ": " + files);
                assertPresent(address, acknowledged, listed, when);
                if (kill == schedule.kills()) {
                    break;
                }
                int target = schedule.between(0, MAX_ACKS_BEFORE_KILL);
                int before = acknowledged.size();
                Deque<CompletableFuture<MetadataResponse>> inFlight = new ArrayDeque<>();
                try (MetadataClient client = MetadataClient.connect(address, Duration.ofSeconds(5))) {
                    while (acknowledged.size() - before < target) {
                        byte[] torrent = torrent(next++);
                        Metainfo m = MetainfoParser.parse(torrent);
                        TorrentSignature s = TorrentSignature.sign(key, m);
                        CompletableFuture<MetadataResponse> f = client.send(id -> new MetadataRequest.Publish(id, torrent, s));
                        f.thenAccept(r -> {
                            if (r instanceof MetadataResponse.Published p) {
                                acknowledged.add(p.infoHash());
                            }
                        });
                        inFlight.add(f);
                        if (inFlight.size() >= IN_FLIGHT) {
                            MetadataResponse r = inFlight.remove().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                            assertTrue(r instanceof MetadataResponse.Published, when + ": " + r);
                        }
                        inFlight.removeIf(CompletableFuture::isDone);
                    }
                    inFlightAtKills += inFlight.size();
                    server.kill9(); // with up to IN_FLIGHT publishes unanswered
                    for (CompletableFuture<MetadataResponse> f : inFlight) {
                        try {
                            f.get(WAIT.toSeconds(), TimeUnit.SECONDS); // an answer that beat the kill still counts
                        } catch (Exception cutOff) {
                            // not acknowledged: it may or may not have been committed
                        }
                    }
                }
                DiskState.assertOnly(catalog, f -> CATALOG_FILE.matcher(f).matches() || TEMP_FILE.matcher(f).matches(),
                        "kill " + (kill + 1) + " (" + schedule + ")");
                DiskState.assertOnly(home, f -> false, when);
            }
        }
        Catalog reopened = Catalog.open(catalog);
        for (InfoHash h : acknowledged) {
            CatalogEntry e = reopened.get(h).orElseThrow(() -> new AssertionError("acknowledged publish lost: " + h));
            assertTrue(e.signature().verifies(e.metainfo()), h.hex());
        }
        System.out.printf("crash harness: metadata-server killed %d times (%s): %d publishes acknowledged, all kept;"
                        + " %d were in flight at the kills, the catalog holds %d%n", schedule.kills(), schedule,
                acknowledged.size(), inFlightAtKills, reopened.size());
    }

    /** Every acknowledged publish is listed by the restarted server, which lists {@code listed} torrents. */
    private static void assertPresent(HostAndPort server, Set<InfoHash> acknowledged, int listed, String when)
            throws Exception {
        try (MetadataClient client = MetadataClient.connect(server, Duration.ofSeconds(5))) {
            Set<InfoHash> there = new HashSet<>();
            for (int offset = 0; offset < listed; offset += MetadataRequest.MAX_PAGE) {
                MetadataResponse.Page page = client.list(offset, MetadataRequest.MAX_PAGE);
                assertEquals(listed, page.total(), when);
                page.torrents().forEach(t -> there.add(t.infoHash()));
            }
            assertEquals(listed, there.size(), when);
            for (InfoHash h : acknowledged) {
                assertTrue(there.contains(h), when + ": acknowledged publish lost: " + h.hex());
            }
        }
    }

    /** A small distinct torrent (only its metadata is published). */
    private static byte[] torrent(int i) {
        return BencodeCodec.encode(Map.of("info", Map.of("name", "crash-" + i + ".bin", "piece length", 16384,
                "pieces", new byte[20], "length", 100 + i % 1000)));
    }
}
