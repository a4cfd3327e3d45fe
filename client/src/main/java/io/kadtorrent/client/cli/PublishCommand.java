package io.kadtorrent.client.cli;

import io.kadtorrent.engine.session.Session;
import io.kadtorrent.metadata.client.MetadataClient;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.Metainfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/**
 * {@code kadtorrent publish FILE.torrent --server HOST:PORT --key KEYFILE}, or with {@code --dht}: adds the
 * torrent to the publisher's own catalog, seeds that catalog's torrent and points the publisher key's
 * BEP 44 mutable item at it (BEP 46), so {@code search}/{@code get --publisher} find it with no server.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
        footerHeading = "%nExamples:%n",
        footer = {
                "  kadtorrent publish photos.torrent --server 192.0.2.1:6880 --key alice.key",
                "  kadtorrent publish photos.torrent --dht --key alice.key --data ~/shared --keep --bootstrap 192.0.2.1:6881",
                "  kadtorrent publish talk.torrent --dht --key alice.key --salt podcasts --keep --bootstrap 192.0.2.1:6881"},
        description = {"Sign a .torrent with your key and publish it on a metadata server (--server) or in your",
                "catalog in the DHT (--dht, BEP 46; see docs/catalog.md)."})
final class PublishCommand implements Callable<Integer> {

    /** BEP 44 items live two hours on a storing node: a long-running publisher puts its pointer again hourly. */
    static final Duration REPUBLISH_EVERY = Duration.ofHours(1);
    /** How often a long-running publisher looks whether another run changed the catalog in its folder. */
    static final Duration FOLDER_CHECK_EVERY = Duration.ofSeconds(10);
    private static final long DHT_TIMEOUT_SECONDS = 60;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.torrent")
    Path torrentFile;

    @Option(names = "--server", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "Metadata server to publish on.")
    InetSocketAddress server;

    @Option(names = "--key", required = true, paramLabel = "KEYFILE", description = "Private key from 'kadtorrent keygen'.")
    Path keyFile;

    @Option(names = "--dht", description = "Publish in your catalog in the DHT instead of on a server (needs --bootstrap).")
    boolean dht;

    @Option(names = "--catalog", paramLabel = "DIR",
            description = "Your catalog's folder (default: the state folder's catalogs/<public key hex>).")
    Path catalogDir;

    @Option(names = "--data", paramLabel = "DIR",
            description = "With --dht: also seed the torrent's data from DIR (parent folder, as for seed).")
    Path data;

    @Option(names = "--keep", description = {"With --dht: seed the catalog (and --data) until Ctrl-C, putting the",
            "pointer again hourly and when another publish changes the catalog. Without it, someone",
            "else must seed the catalog (kadtorrent seed DIR/catalog.torrent)."})
    boolean keep;

    @Mixin
    SaltOption salt = new SaltOption(); // with --dht: one key keeps one catalog per salt

    @Mixin
    PeerOptions wire = PeerOptions.forSeed();

    @Mixin
    DhtOptions dhtOptions = new DhtOptions();

    @Override
    public Integer call() throws Exception {
        if (dht == (server != null)) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --server HOST:PORT and --dht");
        }
        if (!dht && (catalogDir != null || data != null || keep || salt.salt != null)) {
            throw new ParameterException(spec.commandLine(), "--catalog, --data, --keep and --salt go with --dht");
        }
        if (dht && dhtOptions.bootstrap.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--dht needs --bootstrap HOST:PORT to join the DHT");
        }
        Metainfo torrent = TorrentFileReader.read(torrentFile); // checks size and validity before sending
        SigningKey key = SigningKey.read(keyFile);
        return dht ? publishInDht(torrent, key) : publishOnServer(torrent, key);
    }

    private int publishOnServer(Metainfo torrent, SigningKey key) throws Exception {
        byte[] bytes = Files.readAllBytes(torrentFile);
        try (MetadataClient client = MetadataClient.connect(server, Duration.ofSeconds(30))) {
            MetadataResponse.Published p = client.publish(bytes, key);
            spec.commandLine().getOut().println("info_hash: " + p.infoHash().hex());
            spec.commandLine().getOut().println((p.created() ? "published: " : "already published: ") + torrent.name());
        }
        return 0;
    }

    private int publishInDht(Metainfo torrent, SigningKey key) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (data != null) {
            SeedData.check(torrent, data, err);
        }
        byte[] saltBytes = salt.bytes(spec);
        OwnCatalog own = new OwnCatalog(catalogDir != null ? catalogDir
                : OwnCatalog.defaultDir(key.publicKey(), saltBytes), key.publicKey());
        OwnCatalog.Listing listing = own.list(torrent, key, Instant.now().getEpochSecond());
        Metainfo catalogTorrent = listing.catalogTorrent();
        out.println("info_hash: " + torrent.infoHash().hex());
        printListing(out, own, torrent, listing);
        out.flush();
        // without --keep the node is gone within seconds: BEP 43 read-only, so nobody keeps it in a table
        Session session = keep ? wire.startSession(dhtOptions) : wire.startOneShotSession(dhtOptions);
        try (SessionLifetime lifetime = new SessionLifetime(session, err)) {
            PeerOptions.printListening(session, out);
            session.add(catalogTorrent, own.dataDir(catalogTorrent));
            if (data != null) {
                session.add(torrent, data);
                out.println("seeding: " + torrent.name());
            }
            DhtCatalogs catalogs = new DhtCatalogs(session, own.dir(), saltBytes);
            catalogs.awaitJoined(DHT_TIMEOUT_SECONDS);
            putPointer(catalogs, key, own, catalogTorrent, out);
            if (!keep) {
                err.println("note: peers fetch the catalog from whoever seeds it: run with --keep, or 'kadtorrent seed "
                        + own.dir().resolve(OwnCatalog.TORRENT_FILE) + " --data " + own.dataDir(catalogTorrent) + "'");
                err.flush();
                return 0;
            }
            lifetime.onInterrupt(() -> "stopped publishing the catalog of " + key.publicKey().fingerprint());
            err.println("seeding the catalog" + (data != null ? " and " + torrent.name() : "")
                    + "; the pointer is put again every hour and when the catalog changes, until Ctrl-C");
            err.flush();
            keepPublishing(session, catalogs, key, own, catalogTorrent, lifetime, out, err);
        }
        return 0;
    }

    /**
     * Until Ctrl-C: seeds the current catalog (another {@code publish --dht} into the same folder makes a
     * new version current; it is picked up within {@link #FOLDER_CHECK_EVERY}) and puts the pointer when
     * the version changes and every {@link #REPUBLISH_EVERY}.
     */
    private static void keepPublishing(Session session, DhtCatalogs catalogs, SigningKey key, OwnCatalog own,
                                       Metainfo seeding, SessionLifetime lifetime, PrintWriter out, PrintWriter err)
            throws InterruptedException {
        long sincePut = 0;
        boolean retry = false; // a put failed: try again at the next check
        while (!lifetime.awaitInterruptOr(FOLDER_CHECK_EVERY.toSeconds())) {
            sincePut += FOLDER_CHECK_EVERY.toSeconds();
            try {
                Metainfo current = own.torrent().orElse(seeding);
                boolean changed = !current.infoHash().equals(seeding.infoHash());
                if (changed) {
                    session.add(current, own.dataDir(current));
                    session.remove(seeding.infoHash());
                    seeding = current;
                    out.println("catalog: now " + current.infoHash().hex());
                    out.flush();
                }
                if (changed || retry || sincePut >= REPUBLISH_EVERY.toSeconds()) {
                    retry = true;
                    putPointer(catalogs, key, own, seeding, out);
                    retry = false;
                    sincePut = 0;
                }
            } catch (Exception e) {
                err.println("warning: the catalog pointer was not put: " + e.getMessage() + " (trying again later)");
                err.flush();
            }
        }
    }

    /** The {@code listed:} and {@code catalog:} lines (also printed by {@code share --dht}). */
    static void printListing(PrintWriter out, OwnCatalog own, Metainfo torrent, OwnCatalog.Listing listing) {
        out.println((listing.added() ? "listed: " : "already listed: ") + torrent.name());
        out.println("catalog: " + listing.torrents() + " torrents, info_hash " + listing.catalogTorrent().infoHash().hex()
                + " in " + own.dir());
    }

    private static void putPointer(DhtCatalogs catalogs, SigningKey key, OwnCatalog own, Metainfo catalogTorrent,
                                   PrintWriter out) throws Exception {
        PointerPut.Outcome o = PointerPut.put(catalogs, key, own, catalogTorrent.infoHash(), DHT_TIMEOUT_SECONDS);
        out.println(o.line(key));
        out.flush();
    }
}
