package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kadtorrent.daemon.Daemon;
import io.kadtorrent.daemon.DaemonConfig;
import io.kadtorrent.daemon.KeptPointer;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.engine.testing.TestTorrents;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The commands that talk to a daemon, run in-process against a daemon in the same JVM. */
class RemoteCommandsTest {

    @TempDir
    Path tmp;

    private final List<Daemon> daemons = new ArrayList<>();

    @AfterEach
    void stop() {
        daemons.forEach(Daemon::close);
    }

    private Path startDaemon(String name) throws Exception {
        Path state = tmp.resolve(name);
        daemons.add(Daemon.start(DaemonConfig.loopback(state, tmp.resolve(name + "-downloads"))));
        return state;
    }

    /** Runs {@code ls --json} until {@code done} holds for the torrent; fails after 60 s. */
    private static JsonNode awaitTorrent(Path state, String hash, java.util.function.Predicate<JsonNode> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            CliRun ls = CliRun.of("ls", "--json", "--state", state.toString());
            assertEquals(0, ls.exitCode(), ls.err());
            for (JsonNode t : new ObjectMapper().readTree(ls.out())) {
                if (t.get("info_hash").asText().equals(hash)) {
                    last = t;
                    if (done.test(t)) {
                        return t;
                    }
                }
            }
            Thread.sleep(100); // bounds how often we look
        }
        throw new AssertionError("not reached: " + last);
    }

    @Test
    void shareAddLsShowPeersPauseResumeAndRmThroughTheDaemon() throws Exception {
        Path seederState = startDaemon("seeder");
        Path leecherState = startDaemon("leecher");
        Path data = Files.createDirectories(tmp.resolve("data"));
        TestTorrents.multiFile(data, "photos", TestTorrents.awkwardFiles(), 16 * 1024, 3);

        CliRun share = CliRun.of("share", data.resolve("photos").toString(), "--state", seederState.toString());
        assertEquals(0, share.exitCode(), share.err());
        String hash = share.line("info_hash");
        assertTrue(share.out().contains("sharing: photos"), share.out());
        JsonNode seeding = awaitTorrent(seederState, hash, t -> t.get("state").asText().equals("seeding"));
        for (String field : List.of("info_hash", "name", "size_bytes", "progress", "state", "peers", "down_rate", "up_rate")) {
            assertTrue(seeding.has(field), "ls --json lacks " + field);
        }

        Path torrentFile = seederState.resolve("torrents").resolve(hash + ".torrent");
        String seederPeer = "127.0.0.1:" + daemons.get(0).peerAddress().getPort();
        CliRun add = CliRun.of("add", torrentFile.toString(), "--peer", seederPeer, "-o", tmp.resolve("got").toString(),
                "--state", leecherState.toString());
        assertEquals(0, add.exitCode(), add.err());
        assertEquals(hash, add.line("info_hash"));
        awaitTorrent(leecherState, hash, t -> t.get("state").asText().equals("seeding"));
        assertTrue(TestTorrents.sameTree(data.resolve("photos"), tmp.resolve("got/photos")));

        CliRun ls = CliRun.of("ls", "--state", leecherState.toString());
        assertTrue(ls.out().contains(hash.substring(0, 8)) && ls.out().contains("photos") && ls.out().contains("100.0%"),
                ls.out());
        CliRun show = CliRun.of("show", "photos", "--state", leecherState.toString());
        assertEquals(0, show.exitCode(), show.err());
        assertEquals(hash, show.line("info_hash"));
        assertTrue(show.out().lines().filter(l -> l.startsWith("file: ")).count() >= 2, show.out());
        assertEquals(0, CliRun.of("peers", hash.substring(0, 6), "--state", leecherState.toString()).exitCode());

        CliRun prio = CliRun.of("prio", "photos", "high", "*.bin", "--state", leecherState.toString());
        assertEquals(0, prio.exitCode(), prio.err());
        assertTrue(prio.out().contains("files: 3 normal, 2 high"), prio.out());
        CliRun badPrio = CliRun.of("prio", "photos", "urgent", "0", "--state", leecherState.toString());
        assertEquals(2, badPrio.exitCode(), badPrio.err());
        assertTrue(CliRun.of("show", "photos", "--state", leecherState.toString()).out().contains("high  "));

        CliRun limit = CliRun.of("limit", "--up", "1.5M", "--down", "0", "--state", leecherState.toString());
        assertEquals(0, limit.exitCode(), limit.err());
        assertEquals("daemon: up 1.5 MiB/s, down unlimited", limit.out().lines().findFirst().orElse(""));
        assertTrue(limit.out().contains("seeding stops at: never"), limit.out());
        CliRun policy = CliRun.of("limit", "--ratio", "2", "--idle-minutes", "30", "--downloads", "3",
                "--state", leecherState.toString());
        assertEquals(0, policy.exitCode(), policy.err());
        assertTrue(policy.out().contains("seeding stops at: ratio 2.00, 30 min idle"), policy.out());
        assertTrue(policy.out().contains("at once: 3 downloading, any number seeding"), policy.out());
        assertEquals(2, CliRun.of("limit", "photos", "--ratio", "1", "--state", leecherState.toString()).exitCode());
        assertEquals(0, CliRun.of("limit", "--ratio", "0", "--idle-minutes", "0", "--downloads", "0",
                "--state", leecherState.toString()).exitCode());
        CliRun own = CliRun.of("limit", "photos", "--down", "200K", "--state", leecherState.toString());
        assertEquals("photos: up unlimited, down 200.0 KiB/s", own.out().strip(), own.err());
        assertEquals(2, CliRun.of("limit", "--up", "fast", "--state", leecherState.toString()).exitCode());

        CliRun stream = CliRun.of("stream", "photos", "big.bin", "--state", leecherState.toString());
        assertEquals(0, stream.exitCode(), stream.err());
        assertTrue(stream.line("url").matches("http://127\\.0\\.0\\.1:\\d+/stream/" + hash + "/\\d+\\?key=[0-9a-f]{32}"),
                stream.out());
        assertTrue(stream.line("file").endsWith("sub/deeper/big.bin (244.1 KiB)"), stream.out());
        var got = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(stream.line("url"))).header("Range", "bytes=100-199").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, got.statusCode(), "the URL opens as it is, no token needed");
        assertArrayEquals(java.util.Arrays.copyOfRange(Files.readAllBytes(data.resolve("photos/sub/deeper/big.bin")), 100, 200),
                got.body());

        CliRun pause = CliRun.of("pause", hash.substring(0, 10), "--state", leecherState.toString());
        assertTrue(pause.out().contains("paused"), pause.out() + pause.err());
        CliRun resume = CliRun.of("resume", hash, "--state", leecherState.toString());
        assertEquals(0, resume.exitCode(), resume.err());
        awaitTorrent(leecherState, hash, t -> t.get("state").asText().equals("seeding"));

        CliRun missing = CliRun.of("show", "nothing-like-it", "--state", leecherState.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no torrent matches nothing-like-it"), missing.err());

        CliRun rm = CliRun.of("rm", "photos", "--delete-data", "--state", leecherState.toString());
        assertEquals(0, rm.exitCode(), rm.err());
        assertTrue(Files.notExists(tmp.resolve("got/photos")), "rm --delete-data deletes the files");
        CliRun unshare = CliRun.of("unshare", hash, "--state", seederState.toString());
        assertEquals(0, unshare.exitCode(), unshare.err());
        assertTrue(Files.exists(data.resolve("photos")), "unshare keeps the files");
        assertTrue(CliRun.of("ls", "--state", seederState.toString()).out().startsWith("no torrents"));

        CliRun ui = CliRun.of("ui", "--state", seederState.toString());
        assertTrue(ui.line("url").startsWith("http://127.0.0.1:") && ui.line("url").contains("/login?token="), ui.out());
    }

    @Test
    void shareWithPublishIsFoundBySearchWithItsPublisherAndUnshareTakesItBack() throws Exception {
        Path state = startDaemon("d");
        Path key = tmp.resolve("me.key");
        assertEquals(0, CliRun.of("keygen", "-o", key.toString()).exitCode());
        try (var server = io.kadtorrent.metadata.server.MetadataServer.start(
                io.kadtorrent.metadata.server.MetadataServerConfig.loopback()
                        .withPublishPolicy(io.kadtorrent.metadata.server.PublishPolicy.openToAll()),
                io.kadtorrent.metadata.catalog.Catalog.open(tmp.resolve("catalog")),
                io.kadtorrent.metadata.server.BootstrapNodes.fixed(List.of()))) {
            String serverArg = "127.0.0.1:" + server.localAddress().getPort();
            Path data = Files.createDirectories(tmp.resolve("data"));
            TestTorrents.singleFile(data, "report.pdf", 50_000, 16 * 1024, 8);
            CliRun share = CliRun.of("share", data.resolve("report.pdf").toString(), "--publish", serverArg,
                    "--key", key.toString(), "--state", state.toString());
            assertEquals(0, share.exitCode(), share.err());
            assertTrue(share.out().contains("published: report.pdf on " + serverArg), share.out());
            String fingerprint = io.kadtorrent.metadata.signing.PublisherKey.read(tmp.resolve("me.key.pub")).fingerprint();
            CliRun search = CliRun.of("search", "report", "--server", serverArg);
            assertTrue(search.out().contains("by " + fingerprint + "  report.pdf"), search.out());

            CliRun get = CliRun.of("get", "report.pdf", "--server", serverArg, "-o", tmp.resolve("got").toString(),
                    "--peer", "127.0.0.1:" + daemons.get(0).peerAddress().getPort(), "--seed-time", "0");
            assertEquals(0, get.exitCode(), get.err());
            assertTrue(get.err().contains("publisher: " + fingerprint + " (first use"), get.err());
            CliRun again = CliRun.of("get", "report.pdf", "--server", serverArg, "-o", tmp.resolve("got2").toString(),
                    "--peer", "127.0.0.1:" + daemons.get(0).peerAddress().getPort(), "--seed-time", "0");
            assertTrue(again.err().contains("publisher: " + fingerprint + " (the key that signed this name before"),
                    again.err());

            CliRun unshare = CliRun.of("unshare", "report.pdf", "--state", state.toString());
            assertEquals(0, unshare.exitCode(), unshare.err());
            assertTrue(unshare.out().contains("unpublished: report.pdf from " + serverArg), unshare.out());
            assertTrue(CliRun.of("search", "report", "--server", serverArg).out().isBlank());
        }
    }

    /**
     * {@code share --dht}: the torrent lands in the publisher's DHT catalog, the daemon seeds the catalog and
     * the torrent, and a client with the publisher's key alone finds and downloads it; a second share makes
     * seq 2, and the daemon seeds that catalog version instead of the first and keeps its pointer alive.
     */
    @Test
    void shareWithDhtListsItInThePublishersCatalogWhichTheDaemonSeeds() throws Exception {
        try (DhtNode bootstrap = DhtNode.start(DhtConfig.defaults().withBindAddress(InetAddress.getLoopbackAddress())
                .withPort(0))) {
            String boot = "127.0.0.1:" + bootstrap.localAddress().getPort();
            Path state = tmp.resolve("d");
            daemons.add(Daemon.start(DaemonConfig.loopback(state, tmp.resolve("d-downloads"))
                    .withDht(0, List.of(bootstrap.localAddress()))));
            Path key = tmp.resolve("me.key");
            assertEquals(0, CliRun.of("keygen", "-o", key.toString()).exitCode());
            Path data = Files.createDirectories(tmp.resolve("data"));
            TestTorrents.singleFile(data, "report.pdf", 50_000, 16 * 1024, 8);
            TestTorrents.singleFile(data, "notes.txt", 20_000, 16 * 1024, 9);

            CliRun share = CliRun.of("share", data.resolve("report.pdf").toString(), "--dht", "--key", key.toString(),
                    "--bootstrap", boot, "--dht-bind", "127.0.0.1", "--state", state.toString());
            assertEquals(0, share.exitCode(), share.err());
            assertEquals("report.pdf", share.line("listed"));
            assertTrue(share.line("pointer").startsWith("seq 1 stored on "), share.out());
            assertEquals("the daemon puts the pointer again every hour", share.line("kept"));
            Daemon daemon = daemons.get(daemons.size() - 1);
            assertEquals(List.of(1L), daemon.keptPointers().stream().map(KeptPointer::seq).toList());
            String firstCatalog = share.line("catalog").replaceAll(".*info_hash (\\p{XDigit}{40}).*", "$1");

            CliRun get = CliRun.of("get", "report.pdf", "--publisher", key + ".pub", "-o", tmp.resolve("got").toString(),
                    "--port", "0", "--bind", "127.0.0.1", "--bootstrap", boot, "--seed-time", "0");
            assertEquals(0, get.exitCode(), get.err());
            assertEquals(-1L, Files.mismatch(data.resolve("report.pdf"), tmp.resolve("got/report.pdf")));

            CliRun second = CliRun.of("share", data.resolve("notes.txt").toString(), "--dht", "--key", key.toString(),
                    "--bootstrap", boot, "--dht-bind", "127.0.0.1", "--state", state.toString());
            assertEquals(0, second.exitCode(), second.err());
            assertTrue(second.line("pointer").startsWith("seq 2 stored on "), second.out());
            assertTrue(second.line("catalog").startsWith("2 torrents"), second.out());
            assertEquals(List.of(2L), daemon.keptPointers().stream().map(KeptPointer::seq).toList(),
                    "the new pointer replaces the old one");
            String ls = CliRun.of("ls", "--json", "--state", state.toString()).out();
            assertTrue(ls.contains(second.line("catalog").replaceAll(".*info_hash (\\p{XDigit}{40}).*", "$1")), ls);
            assertTrue(!ls.contains(firstCatalog), "the first catalog version is no longer seeded: " + ls);
        }
    }

    @Test
    void withoutARunningDaemonARemoteCommandSaysHowToStartOne() {
        CliRun ls = CliRun.of("ls", "--state", tmp.resolve("none").toString());
        assertEquals(1, ls.exitCode());
        assertTrue(ls.err().contains("no daemon is running on") && ls.err().contains("kadtorrent daemon --state"),
                ls.err());
    }

    @Test
    void theDaemonRefusesBadPortsAndAddressesAsUsageErrors() {
        Path state = tmp.resolve("s");
        for (String[] args : List.of(new String[]{"--port", "70000"}, new String[]{"--http-port", "-1"},
                new String[]{"--dht-port", "-5"}, new String[]{"--bind", "no.such.host.invalid"})) {
            List<String> all = new ArrayList<>(List.of("daemon", "--state", state.toString()));
            all.addAll(List.of(args));
            CliRun run = CliRun.of(all.toArray(String[]::new));
            assertEquals(2, run.exitCode(), String.join(" ", args) + ": " + run.err());
        }
        assertTrue(Files.notExists(state.resolve("daemon.json")), "nothing was started");
    }

    @Test
    void addRefusesWhatItCannotSend() throws Exception {
        Path state = startDaemon("d");
        CliRun nothing = CliRun.of("add", tmp.resolve("nope.torrent").toString(), "--state", state.toString());
        assertEquals(2, nothing.exitCode());
        assertTrue(nothing.err().contains("no such file"), nothing.err());
        Path junk = Files.writeString(tmp.resolve("junk.torrent"), "d4:infoi1ee");
        CliRun bad = CliRun.of("add", junk.toString(), "--state", state.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("junk.torrent") || bad.err().contains("info"), bad.err());
    }
}
