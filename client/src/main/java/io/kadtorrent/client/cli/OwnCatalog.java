package io.kadtorrent.client.cli;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.metadata.feed.CatalogCodec;
import io.kadtorrent.metadata.feed.CatalogTorrent;
import io.kadtorrent.metadata.feed.InvalidCatalogException;
import io.kadtorrent.metadata.feed.ListedTorrent;
import io.kadtorrent.metadata.feed.PublisherCatalog;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A publisher's own DHT catalog on disk, in one folder per key: {@code catalog.torrent} (the current
 * catalog's torrent, so {@code kadtorrent seed} can serve it too), {@code <info_hash hex>/catalog.bencode}
 * (each version's signed catalog, the data its torrent seeds; never rewritten, so a process still seeding
 * an older version keeps serving valid pieces) and {@code seq} (the last BEP 44 seq put). Every file is
 * written atomically.
 */
final class OwnCatalog {

    static final String TORRENT_FILE = "catalog.torrent";
    private static final String SEQ_FILE = "seq";

    private final Path dir;
    private final PublisherKey publisher;

    OwnCatalog(Path dir, PublisherKey publisher) {
        this.dir = dir;
        this.publisher = publisher;
    }

    /**
     * The default folder of {@code publisher}'s catalog under the state folder: {@code catalogs/<key hex>}, or
     * {@code catalogs/<key hex>-salt-<salt hex>} for the catalog under a salt (a salt may hold any bytes).
     */
    static Path defaultDir(PublisherKey publisher, byte[] salt) {
        return defaultDir(StateOption.defaultDir(), publisher, salt);
    }

    /** The same under the state folder {@code stateDir} (a daemon's {@code --state}). */
    static Path defaultDir(Path stateDir, PublisherKey publisher, byte[] salt) {
        String name = salt.length == 0 ? publisher.hex()
                : publisher.hex() + "-salt-" + BaseEncoding.base16().lowerCase().encode(salt);
        return stateDir.resolve("catalogs").resolve(name);
    }

    Path dir() {
        return dir;
    }

    /** The folder whose {@code catalog.bencode} is the data of {@code catalogTorrent} (pass it as the parent dir). */
    Path dataDir(Metainfo catalogTorrent) {
        return dir.resolve(catalogTorrent.infoHash().hex());
    }

    /** The current catalog's torrent, empty before the first save. */
    Optional<Metainfo> torrent() throws IOException {
        Path f = dir.resolve(TORRENT_FILE);
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(MetainfoParser.read(f));
        } catch (InvalidMetainfoException e) {
            throw new IOException(f + ": " + e.getMessage(), e);
        }
    }

    /** The catalog as last saved, or an empty one; a saved catalog that does not verify is an error. */
    PublisherCatalog load(long nowSeconds) throws IOException {
        Optional<Metainfo> current = torrent();
        if (current.isEmpty()) {
            return PublisherCatalog.empty(publisher, nowSeconds);
        }
        Path file = dataDir(current.get()).resolve(CatalogTorrent.FILE_NAME);
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (!CatalogTorrent.of(bytes).infoHash().equals(current.get().infoHash())) {
                throw new IOException(file + " is not the catalog " + TORRENT_FILE + " describes");
            }
            return CatalogCodec.decode(bytes, publisher);
        } catch (InvalidCatalogException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Signs and saves {@code catalog} as the current version; returns its torrent. */
    Metainfo save(PublisherCatalog catalog, SigningKey key) throws IOException {
        byte[] bytes = CatalogCodec.encode(catalog, key);
        Metainfo torrent = CatalogTorrent.of(bytes);
        Files.createDirectories(dataDir(torrent));
        AtomicFile.write(dataDir(torrent).resolve(CatalogTorrent.FILE_NAME), bytes);
        AtomicFile.write(dir.resolve(TORRENT_FILE), torrent.toBytes()); // last: it makes the version current
        return torrent;
    }

    /** What {@link #list} did: the catalog's current torrent and size, and whether the torrent was new to it. */
    record Listing(Metainfo catalogTorrent, int torrents, boolean added) {
    }

    /**
     * Lists {@code torrent}, signed with {@code key}, in the catalog and saves the new version; a torrent
     * already listed leaves the catalog as it is.
     */
    Listing list(Metainfo torrent, SigningKey key, long nowSeconds) throws IOException {
        PublisherCatalog before = load(nowSeconds);
        PublisherCatalog after = before.with(ListedTorrent.of(torrent, TorrentSignature.sign(key, torrent), nowSeconds),
                nowSeconds);
        Metainfo catalogTorrent = after == before ? torrent().orElseThrow() : save(after, key);
        return new Listing(catalogTorrent, after.torrents().size(), after != before);
    }

    OptionalLong lastSeq() throws IOException {
        Path f = dir.resolve(SEQ_FILE);
        if (!Files.exists(f) || Files.size(f) > 32) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(f, StandardCharsets.US_ASCII).strip()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    void saveSeq(long seq) throws IOException {
        AtomicFile.write(dir.resolve(SEQ_FILE), (seq + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
