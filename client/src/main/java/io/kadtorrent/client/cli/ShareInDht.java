package io.kadtorrent.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.engine.SessionConfig;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code share PATH --dht}: lists the torrent the daemon now shares in the publisher's own DHT catalog
 * (BEP 46, the same folder and steps as {@code publish --dht}), has the daemon seed the catalog's torrent
 * in place of the version before it, and puts the publisher key's pointer through a read-only DHT node of
 * its own. Then it hands the signed pointer to the daemon, which keeps both alive: it seeds the catalog and
 * puts the same pointer again every hour and after a restart (BEP 44 lets storing nodes drop it after two
 * hours), until another {@code share --dht} hands over a newer one.
 */
final class ShareInDht {

    private static final long DHT_TIMEOUT_SECONDS = 60;
    private static final int ADD_TIMEOUT_MILLIS = 60_000;
    static final String KEEP_POINTER_PATH = "/api/v1/dht/pointers";

    private ShareInDht() {
    }

    static void publish(DaemonClient daemon, Path stateDir, Metainfo torrent, SigningKey key, byte[] salt,
                        DhtOptions dht, PrintWriter out) throws Exception {
        OwnCatalog own = new OwnCatalog(OwnCatalog.defaultDir(stateDir, key.publicKey(), salt), key.publicKey());
        Optional<Metainfo> previous = own.torrent();
        OwnCatalog.Listing listing = own.list(torrent, key, Instant.now().getEpochSecond());
        PublishCommand.printListing(out, own, torrent, listing);
        Metainfo catalogTorrent = listing.catalogTorrent();
        seedInDaemon(daemon, own, catalogTorrent);
        String bind = dht.dhtBind.isEmpty() ? "0.0.0.0" : dht.dhtBind.get(0).getHostAddress();
        SessionConfig session = SessionConfig.defaults().withBindHost(bind).withPort(0);
        PointerPut.Outcome o;
        try (Session s = Session.start(session, dht.toOneShotConfig(session.bindHost(), 0), DhtOptions.LOOKUP_INTERVAL)) {
            DhtCatalogs catalogs = new DhtCatalogs(s, own.dir(), salt);
            catalogs.awaitJoined(DHT_TIMEOUT_SECONDS);
            o = PointerPut.put(catalogs, key, own, catalogTorrent.infoHash(), DHT_TIMEOUT_SECONDS);
            out.println(o.line(key));
        }
        keepInDaemon(daemon, o.item(), out);
        // only once the DHT points at the new version: until then readers still fetch the old one from us
        if (previous.isPresent() && !previous.get().infoHash().equals(catalogTorrent.infoHash())) {
            retire(daemon, previous.get());
        }
    }

    /**
     * Hands the pointer just put to the daemon, which puts it again before it expires; a daemon without a
     * DHT node cannot, which is said rather than failed: the pointer is in the DHT for two hours anyway.
     */
    private static void keepInDaemon(DaemonClient daemon, MutableItem pointer, PrintWriter out) throws Exception {
        HexFormat hex = HexFormat.of();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", hex.formatHex(pointer.key()));
        body.put("salt", hex.formatHex(pointer.salt()));
        body.put("seq", pointer.seq());
        body.put("value", hex.formatHex(pointer.value().bytes()));
        body.put("signature", hex.formatHex(pointer.signature()));
        try {
            daemon.post(KEEP_POINTER_PATH, body);
            out.println("kept: the daemon puts the pointer again every hour");
        } catch (DaemonClient.DaemonException e) {
            if (e.status != 400) {
                throw e;
            }
            out.println("note: the daemon does not keep the pointer (" + e.getMessage()
                    + "); it lasts two hours unless put again");
        }
    }

    /** Adds the catalog's torrent to the daemon, seeding from the publisher's folder (nothing if it has it). */
    private static void seedInDaemon(DaemonClient daemon, OwnCatalog own, Metainfo catalogTorrent) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("torrent", Base64.getEncoder().encodeToString(
                Files.readAllBytes(own.dir().resolve(OwnCatalog.TORRENT_FILE))));
        body.put("save_dir", own.dataDir(catalogTorrent).toAbsolutePath().toString());
        JsonNode added = daemon.post("/api/v1/torrents", body, ADD_TIMEOUT_MILLIS);
        if (!added.path("torrent").path("info_hash").asText().equals(catalogTorrent.infoHash().hex())) {
            throw new IllegalStateException("the daemon added something else than the catalog torrent: " + added);
        }
    }

    /** Removes an older catalog version from the daemon, keeping its file; one already gone is fine. */
    private static void retire(DaemonClient daemon, Metainfo old) throws Exception {
        try {
            daemon.delete(RemoteCommand.path(old.infoHash().hex()));
        } catch (DaemonClient.DaemonException e) {
            if (e.status != 404) {
                throw e;
            }
        }
    }
}
