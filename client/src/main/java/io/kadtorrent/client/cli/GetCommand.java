package io.kadtorrent.client.cli;

import io.kadtorrent.engine.pick.FilePriority;
import io.kadtorrent.engine.pick.FileSelection;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.engine.swarm.SwarmStats;
import com.google.common.io.MoreFiles;
import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.client.FetchedTorrent;
import io.kadtorrent.metadata.client.KnownPublishers;
import io.kadtorrent.metadata.client.TorrentSource;
import io.kadtorrent.metadata.feed.ListedTorrent;
import io.kadtorrent.metadata.feed.PublisherCatalog;
import io.kadtorrent.metadata.signing.PublisherKey;
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
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
                "  kadtorrent get 'magnet:?xt=urn:btih:<40 hex>' -o ~/downloads --bootstrap 192.0.2.1:6881",
                "  kadtorrent get photos --publisher alice.key.pub -o ~/downloads --bootstrap 192.0.2.1:6881"},
        description = "Download a torrent from peers, verify it, then keep seeding.")
final class GetCommand implements Callable<Integer> {

    /** How long resolving a --publisher catalog and fetching the named torrent's metadata may take. */
    private static final long CATALOG_TIMEOUT_SECONDS = 120;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|INFOHASH|FILE.torrent|MAGNET",
            description = "A torrent name (with --server or --publisher) or info_hash, a .torrent file or a magnet link.")
    String source;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Metadata server to fetch the torrent from by name or info_hash.")
    InetSocketAddress server;

    @Option(names = "--trust", paramLabel = "KEYFILE.pub",
            description = {"Refuse a torrent from --server unless this publisher key signed it. Without it, the key",
                    "that signed a name the first time is remembered (~/.local/state/kadtorrent/known_publishers)",
                    "and a different key later is refused."})
    Path trust;

    @Option(names = "--publisher", paramLabel = "KEY.pub",
            description = {"Find NAME in this publisher's catalog in the DHT (no server; needs --bootstrap): the",
                    "catalog's and the torrent's signatures are checked before anything is written."})
    Path publisher;

    @Mixin
    SaltOption salt = new SaltOption(); // with --publisher: which of the key's catalogs

    @Option(names = "--accept-new-key",
            description = "Accept (and remember) a publisher key other than the one remembered for this name.")
    boolean acceptNewKey;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
            description = "Parent folder: files land in DIR/<name>.")
    Path output;

    @Option(names = "--only", paramLabel = "GLOB",
            description = {"Download only the files matching GLOB (repeatable). Without '/', GLOB matches file",
                    "names in any folder (*.mkv); with '/', paths inside the torrent (extras/**)."})
    List<String> only = new ArrayList<>();

    @Option(names = "--skip", paramLabel = "GLOB",
            description = "Do not download the files matching GLOB (repeatable); they are not created.")
    List<String> skip = new ArrayList<>();

    @Option(names = "--sequential",
            description = "Fetch pieces in order, first to last, instead of rarest first (to watch or play as it comes).")
    boolean sequential;

    @Option(names = "--seed-time", paramLabel = "SECONDS", defaultValue = "-1",
            description = "Keep seeding this long after completion (0 = exit at once; default: until Ctrl-C).")
    long seedTimeSeconds;

    @Mixin
    PeerOptions wire = PeerOptions.forGet();

    @Mixin
    DhtOptions dht = new DhtOptions();

    @Override
    public Integer call() throws Exception {
        if (publisher != null && (server != null || trust != null)) {
            throw new ParameterException(spec.commandLine(), "--publisher finds NAME without a server: drop --server/--trust");
        }
        if (publisher == null && salt.salt != null) {
            throw new ParameterException(spec.commandLine(), "--salt goes with --publisher");
        }
        if (publisher != null && dht.bootstrap.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--publisher needs --bootstrap HOST:PORT to join the DHT");
        }
        MagnetLink magnet = publisher == null && MagnetLink.looksLikeMagnet(source) ? parseMagnet() : null;
        Metainfo torrent = magnet == null && publisher == null ? resolveTorrent() : null;
        if (torrent == null && magnet == null && publisher == null) {
            magnet = MagnetLink.of(InfoHash.parse(source), null); // a bare info_hash: metadata from peers
        }
        if (magnet != null) {
            magnet.peers().forEach(p -> wire.peers.add(new InetSocketAddress(p.getHost(), p.getPort())));
        }
        boolean trackers = torrent != null ? torrent.announce().isPresent() || !torrent.announceList().isEmpty()
                : magnet != null && !magnet.trackers().isEmpty();
        if (publisher == null && wire.peers.isEmpty() && dht.bootstrap.isEmpty() && !trackers
                && (torrent == null || torrent.nodes().isEmpty())) {
            throw new ParameterException(spec.commandLine(), "no way to find peers: give --peer HOST:PORT or"
                    + " --bootstrap HOST:PORT, or a torrent with nodes or trackers");
        }
        FileSelection selection = selection(magnet);
        List<FilePriority> priorities = torrent == null || selection.isAll() ? List.of() : choose(selection, torrent);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Session session = wire.startSession(dht);
        try (SessionLifetime lifetime = new SessionLifetime(session, err)) {
            PeerOptions.printListening(session, out);
            long start = System.nanoTime();
            if (publisher != null) {
                torrent = fromPublisher(session, err);
                priorities = selection.isAll() ? List.of() : choose(selection, torrent);
            }
            if (torrent == null) {
                String hex = magnet.infoHash().hex();
                lifetime.onInterrupt(() -> "stopped before the metadata of " + hex + " arrived");
                err.println("fetching the metadata of " + hex + " from "
                        + (wire.peers.isEmpty() ? "peers (searching the DHT)" : "the given peers and the DHT"));
                err.flush();
            }
            Torrent swarm = torrent != null ? add(session, torrent, priorities) : fetchMetadata(session, magnet, selection);
            Metainfo metainfo = swarm.metainfo();
            swarm.onPeerBanned(peer -> { // bad data or a flood (the log says which); on the event loop
                err.println("banned: " + Addresses.format(peer));
                err.flush();
            });
            if (sequential) {
                swarm.setSequential(true);
            }
            // for a magnet, the same choice the session just made
            String skipped = selection.isAll() ? null : DownloadProgress.skippedLine(metainfo,
                    torrent != null ? priorities : selection.priorities(metainfo));
            if (skipped != null) {
                err.println(skipped);
                err.flush();
            }
            lifetime.onInterrupt(() -> DownloadProgress.stoppedLine(swarm.stats(), metainfo));
            swarm.addPeers(wire.peers, true); // it dials and redials them itself
            DownloadProgress.awaitComplete(swarm, metainfo, err);
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
            if (seedTimeSeconds != 0) {
                lifetime.onInterrupt(() -> "stopped seeding " + metainfo.name() + " (uploaded "
                        + ByteSize.format(swarm.stats().uploadedBytes()) + ")"); // before the line inviting Ctrl-C
                err.println("seeding: " + metainfo.name() + (seedTimeSeconds < 0 ? " until Ctrl-C"
                        : " for " + seedTimeSeconds + " s (Ctrl-C stops sooner)"));
                err.flush();
            }
            lifetime.awaitInterruptOr(seedTimeSeconds);
        }
        return 0;
    }

    /** The files chosen with --only/--skip (and a magnet's so=); a bad pattern is a usage error. */
    private FileSelection selection(MagnetLink magnet) {
        try {
            return new FileSelection(only, skip, magnet == null ? List.of() : magnet.selectOnly());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private List<FilePriority> choose(FileSelection selection, Metainfo torrent) {
        try {
            return selection.priorities(torrent);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Torrent add(Session session, Metainfo metainfo, List<FilePriority> priorities) throws IOException {
        try {
            return session.add(metainfo, output, priorities);
        } catch (FileSystemException e) {
            throw CliErrors.aboutPath("cannot write into", output, e);
        }
    }

    /**
     * The torrent named by {@code source}: fetched from {@code --server} (by name or info_hash), else read
     * from a file; null for a bare info_hash without a server (its metadata then comes from peers).
     */
    private Metainfo resolveTorrent() throws Exception {
        if (server != null) {
            Optional<PublisherKey> trusted = trust == null ? Optional.empty() : Optional.of(PublisherKey.read(trust));
            FetchedTorrent fetched = TorrentSource.fetch(source,
                    HostAndPort.fromParts(server.getHostString(), server.getPort()), trusted,
                    KnownPublishers.at(StateOption.defaultDir().resolve(KnownPublishers.FILE_NAME)), acceptNewKey);
            PrintWriter err = spec.commandLine().getErr();
            err.println("publisher: " + fetched.publisher().fingerprint() + " (" + switch (fetched.trust()) {
                case TRUSTED_KEY -> "the key you trust";
                case KNOWN_PUBLISHER -> "the key that signed this name before";
                case FIRST_USE -> "first use: remembered for this name";
                case NEW_KEY_ACCEPTED -> "a new key, accepted and remembered";
                case NOT_CHECKED -> "fetched by info_hash, the key is not checked";
            } + ")");
            err.flush();
            return fetched.metainfo();
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

    /**
     * The torrent named {@code source} in the {@code --publisher}'s DHT catalog: the catalog resolved and
     * verified, the newest entry of that name picked, its metadata fetched from peers (BEP 9) and checked
     * against the entry (info_hash, name, size, and the publisher's signature of its {@code info}).
     */
    private Metainfo fromPublisher(Session session, PrintWriter err) throws Exception {
        PublisherKey key = PublisherKey.read(publisher);
        Path scratch = Files.createTempDirectory("kadtorrent-catalog-");
        try {
            DhtCatalogs catalogs = new DhtCatalogs(session, scratch, salt.bytes(spec));
            catalogs.awaitJoined(CATALOG_TIMEOUT_SECONDS);
            PublisherCatalog catalog = SearchCommand.fetch(catalogs, key, CATALOG_TIMEOUT_SECONDS, err);
            ListedTorrent listed = catalog.newest(source).orElseThrow(() -> new IOException("no torrent named " + source
                    + " in the catalog of " + key.fingerprint() + similar(catalog)));
            err.println("publisher: " + key.fingerprint() + " lists " + listed.name() + " (" + listed.infoHash().hex()
                    + "); fetching its metadata from peers");
            err.flush();
            Metainfo metadata;
            try {
                metadata = catalogs.metadata(listed.infoHash()).get(CATALOG_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot get the metadata of " + listed.name() + " from peers: " + e, e);
            }
            if (!listed.describes(metadata)) {
                throw new IOException("the metadata of " + listed.infoHash().hex() + " from peers is not what "
                        + key.fingerprint() + " signed; nothing written");
            }
            return metadata;
        } finally {
            MoreFiles.deleteRecursively(scratch);
        }
    }

    private String similar(PublisherCatalog catalog) {
        List<String> near = catalog.search(source).stream().map(ListedTorrent::name).distinct().limit(5).toList();
        return near.isEmpty() ? "" : " (names containing it: " + String.join(", ", near) + ")";
    }

    private MagnetLink parseMagnet() {
        try {
            return MagnetLink.parse(source);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "bad magnet link: " + e.getMessage());
        }
    }

    /** BEP 9: the info dictionary from peers (given or found on the DHT), verified against the info_hash. */
    private Torrent fetchMetadata(Session session, MagnetLink magnet, FileSelection selection) throws Exception {
        try {
            return session.addMagnet(magnet.infoHash(), wire.peers, magnet.trackers(), output, selection).get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e.getCause();
            throw new IOException("cannot get the metadata of " + magnet.infoHash().hex() + ": " + cause.getMessage(),
                    cause);
        }
    }
}

