import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.server.BootstrapNodes;
import io.kadtorrent.metadata.server.MetadataServer;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.server.PublishPolicy;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Load benchmark for the metadata server (bench/metadata/run.sh), compiled against kadtorrent.jar:
 * <pre>
 *   serve DIR                       run a server on 127.0.0.1 (port printed), limits opened for one-address load
 *   populate HOST:PORT N HASHFILE   publish N generated torrents, write their info_hash hex to HASHFILE
 *   load HOST:PORT HASHFILE C WARMUP_S SECONDS [client|raw]
 *                                   C connections, each a closed loop of get-by-info_hash (like wrk's
 *                                   one request in flight per connection); prints requests/s, p50, p99.
 *                                   "client" goes through MetadataClient (decodes every response);
 *                                   "raw" (default) only reads the length-prefixed frames, as wrk only
 *                                   reads HTTP framing, so the load generator costs about what wrk does.
 * </pre>
 */
public final class MetadataLoad {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "serve" -> serve(Path.of(args[1]));
            case "populate" -> populate(HostAndPort.fromString(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            case "load" -> load(HostAndPort.fromString(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), args.length > 6 ? args[6] : "raw");
            default -> throw new IllegalArgumentException("serve | populate | load");
        }
    }

    static void serve(Path dir) throws Exception {
        // Every bench client comes from 127.0.0.1: per-address caps would measure the limiter, not the server.
        MetadataServerConfig config = MetadataServerConfig.defaults()
                .withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withConnectionCaps(4096, 4096)
                .withRequestRate(1e9, 1_000_000_000)
                .withPublishPolicy(PublishPolicy.openToAll());
        // Eight bootstrap nodes, as a server with a full routing table would hand out.
        List<HostAndPort> nodes = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            nodes.add(HostAndPort.fromParts("127.0.0." + (i + 1), 6881 + i));
        }
        try (MetadataServer server = MetadataServer.start(config, Catalog.open(dir), BootstrapNodes.fixed(nodes))) {
            System.out.println("listening: tcp 127.0.0.1:" + server.localAddress().getPort());
            System.out.flush();
            new CountDownLatch(1).await(30, TimeUnit.MINUTES);
        }
    }

    /** Torrents of 50..1,500 pieces (1..30 KB .torrent files), a third of them multi-file. */
    static void populate(HostAndPort server, int count, Path hashFile) throws Exception {
        SigningKey key = SigningKey.generate(new SecureRandom());
        SplittableRandom random = new SplittableRandom(42);
        List<String> hashes = new ArrayList<>();
        try (MetadataClient client = MetadataClient.connect(server, Duration.ofSeconds(30))) {
            for (int i = 0; i < count; i++) {
                byte[] torrent = generate(i, random);
                InfoHash h = client.publish(torrent, key).infoHash();
                hashes.add(h.hex());
            }
        }
        Files.write(hashFile, hashes);
        System.out.println("published: " + count);
    }

    static byte[] generate(int i, SplittableRandom random) {
        int pieceLength = 1 << (18 + random.nextInt(4)); // 256 KiB .. 2 MiB
        int pieceCount = 50 + random.nextInt(1451);
        byte[] pieces = new byte[pieceCount * 20];
        random.nextBytes(pieces);
        long total = (long) pieceLength * (pieceCount - 1) + 1 + random.nextInt(pieceLength);
        String name = "dataset-" + i + (i % 3 == 0 ? "" : ".iso");
        Map<String, Object> info;
        if (i % 3 == 0) {
            int files = 2 + random.nextInt(20);
            List<Object> entries = new ArrayList<>();
            long left = total;
            for (int f = 0; f < files; f++) {
                long len = f == files - 1 ? left : left / (files - f);
                left -= len;
                entries.add(Map.of("length", len, "path", List.of("dir" + (f % 3), "part-" + f + ".bin")));
            }
            info = Map.of("name", name, "piece length", pieceLength, "pieces", pieces, "files", entries);
        } else {
            info = Map.of("name", name, "piece length", pieceLength, "pieces", pieces, "length", total);
        }
        return BencodeCodec.encode(Map.of("info", info, "created by", "kadtorrent bench", "creation date", 1_700_000_000L + i));
    }

    static void load(HostAndPort server, Path hashFile, int connections, int warmupSeconds, int seconds, String mode)
            throws Exception {
        List<InfoHash> hashes = Files.readAllLines(hashFile).stream().map(InfoHash::parse).toList();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        InetSocketAddress address = new InetSocketAddress(server.getHost(), server.getPort());
        try {
            long[] latencies;
            if (mode.equals("raw")) {
                RawLoad.run(address, group, connections, hashes, warmupSeconds); // JIT warm-up, discarded
                latencies = RawLoad.run(address, group, connections, hashes, seconds);
            } else {
                List<MetadataClient> clients = new ArrayList<>();
                for (int i = 0; i < connections; i++) {
                    clients.add(MetadataClient.connect(address, Duration.ofSeconds(30), group));
                }
                run(clients, hashes, warmupSeconds); // JIT warm-up, discarded
                latencies = run(clients, hashes, seconds);
                clients.forEach(MetadataClient::close);
            }
            Arrays.sort(latencies);
            System.out.printf("requests: %d%n", latencies.length);
            System.out.printf("requests_per_s: %.0f%n", latencies.length / (double) seconds);
            System.out.printf("p50_ms: %.3f%n", percentile(latencies, 0.50) / 1e6);
            System.out.printf("p99_ms: %.3f%n", percentile(latencies, 0.99) / 1e6);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Runs every client's closed loop for {@code seconds}; returns all latencies in nanoseconds. */
    static long[] run(List<MetadataClient> clients, List<InfoHash> hashes, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Loop> loops = new ArrayList<>();
        for (int i = 0; i < clients.size(); i++) {
            Loop loop = new Loop(clients.get(i), hashes, deadline, new SplittableRandom(i));
            loops.add(loop);
            loop.next();
        }
        for (Loop loop : loops) {
            loop.done.get(seconds + 60L, TimeUnit.SECONDS);
        }
        return loops.stream().flatMapToLong(l -> Arrays.stream(l.latencies, 0, l.count)).toArray();
    }

    static final class Loop {
        final MetadataClient client;
        final List<InfoHash> hashes;
        final long deadline;
        final SplittableRandom random;
        final CompletableFuture<Void> done = new CompletableFuture<>();
        long[] latencies = new long[1 << 14];
        int count;

        Loop(MetadataClient client, List<InfoHash> hashes, long deadline, SplittableRandom random) {
            this.client = client;
            this.hashes = hashes;
            this.deadline = deadline;
            this.random = random;
        }

        void next() {
            long start = System.nanoTime();
            if (start >= deadline) {
                done.complete(null);
                return;
            }
            InfoHash h = hashes.get(random.nextInt(hashes.size()));
            client.send(id -> new MetadataRequest.GetByInfoHash(id, h)).whenComplete((r, e) -> {
                if (e != null || !(r instanceof MetadataResponse.Torrent)) {
                    done.completeExceptionally(e != null ? e : new IllegalStateException("unexpected " + r));
                    return;
                }
                if (count == latencies.length) {
                    latencies = Arrays.copyOf(latencies, count * 2);
                }
                latencies[count++] = System.nanoTime() - start;
                next();
            });
        }
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
