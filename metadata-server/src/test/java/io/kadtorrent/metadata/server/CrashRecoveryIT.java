package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.TestTorrents;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server in a child JVM is killed with SIGKILL in the middle of a stream of publishes (or
 * unpublishes); the catalog it leaves must reopen consistent, holding every publish and lacking
 * every removal that was acknowledged.
 */
class CrashRecoveryIT {

    private static final int IN_FLIGHT = 8;
    private static final int KILL_AFTER_ACKS = 40;

    @TempDir
    Path dir;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void serverKilledDuringAPublishLoopRestartsWithEveryAcknowledgedTorrent() throws Exception {
        HostAndPort address = startChild();
        SigningKey key = SigningKey.generate(new SecureRandom());
        Iterator<LongFunction<MetadataRequest>> publishes = IntStream.range(0, 2_000).mapToObj(i -> publish(key, i))
                .iterator(); // each torrent made when it is sent
        Set<InfoHash> acknowledged = sendUntilKilled(address, publishes,
                r -> r instanceof MetadataResponse.Published p ? Optional.of(p.infoHash()) : Optional.empty());

        Catalog reopened = Catalog.open(dir);
        for (InfoHash h : acknowledged) {
            assertTrue(reopened.get(h).isPresent(), "acknowledged publish lost: " + h);
        }
        for (InfoHash h : reopened.list(0, 1000).torrents().stream().map(t -> t.infoHash()).toList()) {
            Metainfo m = reopened.get(h).orElseThrow().metainfo();
            assertTrue(reopened.get(h).orElseThrow().signature().verifies(m));
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertTrue(names.stream().noneMatch(n -> n.endsWith(".tmp")), names.toString());
            assertEquals(2L * reopened.size(), names.size(), "every torrent has exactly its .torrent and .sig");
        }

        // And a restarted server serves them.
        try (RunningServer again = RunningServer.start(dir, RunningServer.config()); MetadataClient c = again.client()) {
            InfoHash any = acknowledged.iterator().next();
            assertEquals(any, c.fetch(any.hex(), Optional.of(key.publicKey())).metainfo().infoHash());
        }
    }

    @Test
    void serverKilledDuringAnUnpublishLoopRestartsWithoutEveryAcknowledgedRemoval() throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        List<InfoHash> stored = new ArrayList<>();
        Catalog before = Catalog.open(dir);
        for (int i = 0; i < 3 * KILL_AFTER_ACKS; i++) {
            byte[] t = TestTorrents.singleFile("gone-" + i, 50_000, i);
            Metainfo m = TestTorrents.parse(t);
            stored.add(before.publish(t, m, TorrentSignature.sign(key, m)).infoHash());
        }
        HostAndPort address = startChild();
        Iterator<LongFunction<MetadataRequest>> removals = stored.stream().map(h -> unpublish(key, h)).iterator();
        Set<InfoHash> acknowledged = sendUntilKilled(address, removals,
                r -> r instanceof MetadataResponse.Unpublished u ? Optional.of(u.infoHash()) : Optional.empty());

        Catalog reopened = Catalog.open(dir);
        for (InfoHash h : acknowledged) {
            assertTrue(reopened.get(h).isEmpty(), "acknowledged unpublish undone: " + h);
        }
        assertTrue(reopened.size() < stored.size() && reopened.size() > 0, "size " + reopened.size());
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            assertEquals(2L * reopened.size(), names.size(), "every torrent has exactly its .torrent and .sig");
        }
    }

    /** A publish of the {@code i}th test torrent, signed by {@code key}. */
    private static LongFunction<MetadataRequest> publish(SigningKey key, int i) {
        byte[] t = TestTorrents.singleFile("crash-" + i, 50_000, i);
        TorrentSignature s = TorrentSignature.sign(key, TestTorrents.parse(t));
        return id -> new MetadataRequest.Publish(id, t, s);
    }

    private static LongFunction<MetadataRequest> unpublish(SigningKey key, InfoHash h) {
        UnpublishSignature s = UnpublishSignature.sign(key, h, Instant.now());
        return id -> new MetadataRequest.Unpublish(id, s);
    }

    /**
     * Sends {@code requests} to the child, {@link #IN_FLIGHT} at a time, and kills it with SIGKILL (no shutdown
     * hook, no flush) as soon as {@link #KILL_AFTER_ACKS} are acknowledged, with requests still in flight.
     *
     * @param acknowledgement the torrent an answer acknowledges, or empty for any other answer
     * @return every torrent whose request was acknowledged, at least {@link #KILL_AFTER_ACKS}
     */
    private Set<InfoHash> sendUntilKilled(HostAndPort address, Iterator<LongFunction<MetadataRequest>> requests,
            Function<MetadataResponse, Optional<InfoHash>> acknowledgement) throws Exception {
        Set<InfoHash> acknowledged = ConcurrentHashMap.newKeySet();
        try (MetadataClient client = MetadataClient.connect(address, Duration.ofSeconds(5))) {
            List<CompletableFuture<MetadataResponse>> inFlight = new ArrayList<>();
            while (requests.hasNext() && child.isAlive()) {
                CompletableFuture<MetadataResponse> f = client.send(requests.next());
                f.thenAccept(r -> acknowledgement.apply(r).ifPresent(acknowledged::add));
                inFlight.add(f);
                if (inFlight.size() >= IN_FLIGHT) {
                    waitQuietly(inFlight.remove(0));
                }
                if (acknowledged.size() >= KILL_AFTER_ACKS) {
                    child.destroyForcibly();
                    break;
                }
            }
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
            inFlight.forEach(CrashRecoveryIT::waitQuietly);
        }
        assertTrue(acknowledged.size() >= KILL_AFTER_ACKS, "only " + acknowledged.size() + " acknowledged");
        return acknowledged;
    }

    private HostAndPort startChild() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                ServerProcessMain.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (java.io.IOException e) {
                return null;
            }
        });
        String listening = line.get(30, TimeUnit.SECONDS);
        assertTrue(listening != null && listening.startsWith("listening: tcp "), String.valueOf(listening));
        return HostAndPort.fromString(listening.substring("listening: tcp ".length()));
    }

    private static void waitQuietly(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (Exception expected) {
            // a publish cut off by the kill: not acknowledged, so not required to survive
        }
    }
}
