package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.SwarmStats;
import io.kadtorrent.metadata.client.TorrentSource;
import io.kadtorrent.torrent.magnet.MagnetLink;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code kadtorrent get (NAME | INFOHASH | FILE.torrent | MAGNET) -o DIR [--server HOST:PORT] [--trust KEY.pub]
 * [--peer HOST:PORT]... [--bootstrap HOST:PORT]...}: takes the torrent from a file, from a metadata server
 * (by name or info_hash, signature checked) or from peers (magnet, BEP 9); finds peers through the DHT
 * (BEP 5) and the given ones, downloads into DIR/<name>, prints {@code complete: ...} once every piece is
 * verified on disk, then seeds for {@code --seed-time}.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent get photos --server 192.0.2.1:6880 --trust alice.key.pub -o ~/downloads",
                "  kadtorrent get photos.torrent -o ~/downloads --peer 192.0.2.10:6881 --seed-time 600",
                "  kadtorrent get 'magnet:?xt=urn:btih:<40 hex>' -o ~/downloads --bootstrap 192.0.2.1:6881"},
        description = "Download a torrent from peers, verify it, then keep seeding.")
final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|INFOHASH|FILE.torrent|MAGNET",
            description = "A torrent name or info_hash (with --server), a .torrent file or a magnet link.")
    String source;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Metadata server to fetch the torrent from by name or info_hash.")
    InetSocketAddress server;

    @Option(names = "--trust", paramLabel = "KEYFILE.pub",
            description = "Refuse a torrent from --server unless this publisher key signed it.")
    Path trust;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Parent folder: files land in DIR/<name>.")
    Path output;

    @Option(names = "--seed-time", paramLabel = "SECONDS", defaultValue = "-1",
            description = "Keep seeding this long after completion (0 = exit at once; default: until Ctrl-C).")
    long seedTimeSeconds;

    @Mixin
    PeerOptions wire = PeerOptions.forGet();

    @Mixin
    DhtOptions dht = new DhtOptions();

    @Override
    public Integer call() throws Exception {
        MagnetLink magnet = MagnetLink.looksLikeMagnet(source) ? parseMagnet() : null;
        Metainfo torrent = magnet == null ? resolveTorrent() : null;
        if (torrent == null && magnet == null) {
            magnet = MagnetLink.of(InfoHash.parse(source), null); // a bare info_hash: metadata from peers
        }
        if (magnet != null) {
            magnet.peers().forEach(p -> wire.peers.add(new InetSocketAddress(p.getHost(), p.getPort())));
        }
        if (wire.peers.isEmpty() && dht.bootstrap.isEmpty() && (torrent == null || torrent.nodes().isEmpty())) {
            throw new ParameterException(spec.commandLine(),
                    "no way to find peers: give --peer HOST:PORT or --bootstrap HOST:PORT, or a torrent with nodes");
        }
        PrintWriter out = spec.commandLine().getOut();
        Session session = wire.startSession(dht);
        try (SessionLifetime lifetime = new SessionLifetime(session)) {
            PeerOptions.printListening(session, out);
            long start = System.nanoTime();
            Torrent swarm = torrent != null ? session.add(torrent, output) : fetchMetadata(session, magnet);
            Metainfo metainfo = swarm.metainfo();
            download(swarm, metainfo);
            double seconds = (System.nanoTime() - start) / 1e9;
            out.printf(Locale.ROOT, "complete: %s %d bytes in %.3f s%n", metainfo.infoHash().hex(),
                    metainfo.totalBytes(), seconds);
            swarm.downloadedByPeer().forEach((peer, bytes) ->
                    out.println("from: " + Addresses.format(peer) + " " + bytes + " bytes"));
            out.flush();
            lifetime.beforeClose(() -> {
                SwarmStats stats = swarm.stats(); // what this peer gave back to the swarm, for benchmarks
                out.println("downloaded: " + stats.downloadedBytes() + " bytes");
                out.println("uploaded: " + stats.uploadedBytes() + " bytes");
                out.flush();
            });
            lifetime.awaitInterruptOr(seedTimeSeconds);
        }
        return 0;
    }

    /**
     * The torrent named by {@code source}: fetched from {@code --server} (by name or info_hash), else read
     * from a file; null for a bare info_hash without a server (its metadata then comes from peers).
     */
    private Metainfo resolveTorrent() throws Exception {
        if (server != null) {
            return TorrentSource.fetch(source, server, Optional.ofNullable(trust));
        }
        if (trust != null) {
            throw new ParameterException(spec.commandLine(),
                    "--trust checks a publisher's signature and needs --server HOST:PORT");
        }
        Path file = Path.of(source);
        if (!Files.exists(file) && InfoHash.looksLikeInfoHash(source)) {
            return null;
        }
        if (!Files.exists(file)) {
            throw new ParameterException(spec.commandLine(), "no such file: " + source
                    + " (to fetch a torrent by name give --server HOST:PORT)");
        }
        return TorrentFileReader.read(file);
    }

    private MagnetLink parseMagnet() {
        try {
            return MagnetLink.parse(source);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "bad magnet link: " + e.getMessage());
        }
    }

    /** BEP 9: the info dictionary from peers (given or found on the DHT), verified against the info_hash. */
    private Torrent fetchMetadata(Session session, MagnetLink magnet) throws Exception {
        try {
            return session.addMagnet(magnet.infoHash(), wire.peers, output).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw new IOException("cannot get the metadata of " + magnet.infoHash().hex() + ": " + cause.getMessage(),
                    cause);
        }
    }

    /** Hands the given peers to the swarm (it dials and redials them itself) and shows progress until complete. */
    private void download(Torrent swarm, Metainfo metainfo) throws Exception {
        swarm.addPeers(wire.peers, true);
        try (ProgressReporter progress = new ProgressReporter(metainfo.name(), metainfo.totalBytes(),
                spec.commandLine().getErr())) {
            while (true) {
                try {
                    swarm.completion().get(1, TimeUnit.SECONDS);
                    progress.update(swarm.stats());
                    return;
                } catch (TimeoutException stillRunning) {
                    progress.update(swarm.stats());
                } catch (ExecutionException e) {
                    throw new IOException("download failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }
}
