package io.kadtorrent.client.cli;

import com.google.common.io.MoreFiles;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.engine.session.Session;
import io.kadtorrent.engine.session.Torrent;
import io.kadtorrent.metadata.feed.CatalogCodec;
import io.kadtorrent.metadata.feed.CatalogPointer;
import io.kadtorrent.metadata.feed.CatalogSource;
import io.kadtorrent.metadata.feed.CatalogTorrent;
import io.kadtorrent.metadata.feed.InvalidCatalogException;
import io.kadtorrent.metadata.feed.PublisherCatalog;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Publishers' catalogs read from the DHT with no metadata server (BEP 46): the publisher key's mutable
 * item (BEP 44, the newest validly signed seq), then the catalog torrent it names from peers (BEP 9 for
 * its metadata, then its one small file), then the catalog's signature. Works inside one engine
 * {@link Session}, in a scratch folder it empties after each fetch.
 */
final class DhtCatalogs implements CatalogSource {

    private static final Logger log = LoggerFactory.getLogger(DhtCatalogs.class);
    /** No salt: a publisher's one catalog (BEP 46 allows a salt, so one key can keep several; see docs/catalog.md). */
    static final byte[] NO_SALT = new byte[0];
    /** How long a fetch that never completes keeps its torrent in the session. */
    private static final long FETCH_TIMEOUT_SECONDS = 120;

    private final Session session;
    private final DhtNode node;
    private final Path scratch;
    private final byte[] salt;

    /** Publishers' unsalted catalogs; {@code scratch} is a folder of our own that fetched catalogs pass through. */
    DhtCatalogs(Session session, Path scratch) {
        this(session, scratch, NO_SALT);
    }

    /** Publishers' catalogs under {@code salt} (BEP 44: the pointer item's salt, at most 64 bytes). */
    DhtCatalogs(Session session, Path scratch, byte[] salt) {
        this.session = session;
        this.node = session.dhtNode().orElseThrow(() -> new IllegalArgumentException("the session runs no DHT node"));
        this.scratch = scratch;
        this.salt = salt.clone();
    }

    /** Waits for the DHT node to join; fails when no bootstrap node answered. */
    void awaitJoined(long timeoutSeconds) throws Exception {
        if (node.joined().get(timeoutSeconds, TimeUnit.SECONDS) == 0) {
            throw new IOException("no DHT node answered: give --bootstrap HOST:PORT of a reachable node");
        }
    }

    DhtNode node() {
        return node;
    }

    /** The salt of the pointer items this reads (empty: none). */
    byte[] salt() {
        return salt.clone();
    }

    /** The publisher's current pointer item, if any node holds one. */
    CompletableFuture<Optional<MutableItem>> pointer(PublisherKey publisher) {
        return node.getMutable(publisher.bytes(), salt).thenApply(found -> found.filter(item ->
                Arrays.equals(item.key(), publisher.bytes()) && Arrays.equals(item.salt(), salt)
                        && item.isSignatureValid())); // the node checked; so do we
    }

    @Override
    public CompletableFuture<Optional<PublisherCatalog>> resolve(PublisherKey publisher) {
        return pointer(publisher).thenCompose(item -> {
            if (item.isEmpty()) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            InfoHash catalogHash;
            try {
                catalogHash = CatalogPointer.parse(item.get().value());
            } catch (InvalidCatalogException e) {
                return CompletableFuture.failedFuture(e);
            }
            log.debug("publisher {}: seq {} points at {}", publisher.fingerprint(), item.get().seq(),
                    catalogHash.shortHex());
            return catalog(catalogHash, publisher).thenApply(Optional::of);
        });
    }

    /** Fetches the catalog torrent {@code catalogHash} and decodes it as {@code publisher}'s signed catalog. */
    private CompletableFuture<PublisherCatalog> catalog(InfoHash catalogHash, PublisherKey publisher) {
        return metadata(catalogHash).thenCompose(m -> {
            try {
                CatalogTorrent.check(m); // before a byte of it is downloaded
                Path dir = Files.createTempDirectory(scratch, "catalog-");
                Torrent t = session.add(m, dir);
                return within(t.completion().thenCompose(done -> session.remove(catalogHash)).thenApply(v -> {
                    try {
                        return CatalogCodec.decode(Files.readAllBytes(dir.resolve(CatalogTorrent.FILE_NAME)), publisher);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    } catch (InvalidCatalogException e) {
                        throw new CompletionException(e);
                    }
                }), catalogHash).whenComplete((c, e) -> delete(dir));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            } catch (InvalidCatalogException e) {
                return CompletableFuture.failedFuture(e);
            }
        });
    }

    @Override
    public CompletableFuture<Metainfo> metadata(InfoHash infoHash) {
        Optional<Torrent> present = session.torrent(infoHash);
        if (present.isPresent()) { // e.g. a publisher mirroring its own torrents
            return present.get().metadata();
        }
        return within(session.fetchMetadata(infoHash, List.of()), infoHash);
    }

    /** {@code work} bounded in time; on failure or timeout the torrent leaves the session. */
    private <T> CompletableFuture<T> within(CompletableFuture<T> work, InfoHash infoHash) {
        return work.orTimeout(FETCH_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((v, e) -> {
            if (e != null) {
                session.remove(infoHash);
            }
        });
    }

    private static void delete(Path dir) {
        try {
            MoreFiles.deleteRecursively(dir);
        } catch (IOException e) {
            log.warn("cannot delete the scratch folder {}: {}", dir, e.getMessage());
        }
    }
}
