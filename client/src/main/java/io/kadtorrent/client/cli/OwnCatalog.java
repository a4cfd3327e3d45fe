package io.kadtorrent.client.cli;

import io.kadtorrent.metadata.feed.CatalogCodec;
import io.kadtorrent.metadata.feed.CatalogTorrent;
import io.kadtorrent.metadata.feed.InvalidCatalogException;
import io.kadtorrent.metadata.feed.PublisherCatalog;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.fs.AtomicFile;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A publisher's own DHT catalog on disk, in one folder per key: {@code catalog.bencode} (the signed
 * catalog, which is also the data its torrent seeds), {@code catalog.torrent} (that torrent, so
 * {@code kadtorrent seed} can serve it too) and {@code seq} (the last BEP 44 seq put). Every file is
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

    /** The default folder of {@code publisher}'s catalog under the state folder. */
    static Path defaultDir(PublisherKey publisher) {
        return StateOption.defaultDir().resolve("catalogs").resolve(publisher.hex());
    }

    Path dir() {
        return dir;
    }

    Path catalogFile() {
        return dir.resolve(CatalogTorrent.FILE_NAME);
    }

    /** The catalog as last saved, or an empty one; a saved catalog that does not verify is an error. */
    PublisherCatalog load(long nowSeconds) throws IOException {
        if (!Files.exists(catalogFile())) {
            return PublisherCatalog.empty(publisher, nowSeconds);
        }
        try {
            return CatalogCodec.decode(Files.readAllBytes(catalogFile()), publisher);
        } catch (InvalidCatalogException e) {
            throw new IOException(catalogFile() + ": " + e.getMessage(), e);
        }
    }

    /** Signs and saves {@code catalog} with its torrent; returns that torrent. */
    Metainfo save(PublisherCatalog catalog, SigningKey key) throws IOException {
        byte[] bytes = CatalogCodec.encode(catalog, key);
        Metainfo torrent = CatalogTorrent.of(bytes);
        Files.createDirectories(dir);
        AtomicFile.write(catalogFile(), bytes);
        AtomicFile.write(dir.resolve(TORRENT_FILE), torrent.toBytes());
        return torrent;
    }

    /** The torrent of the saved catalog, rebuilt from its bytes. */
    Metainfo torrent() throws IOException {
        return CatalogTorrent.of(Files.readAllBytes(catalogFile()));
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
