package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Copies followed publishers' DHT catalogs into a metadata server's {@link Catalog}: every torrent a
 * followed catalog lists whose metadata arrives from peers and carries the publisher's signature is
 * published, exactly as if the publisher had published it to this server. Runs on its caller's thread.
 */
public final class CatalogMirror {

    private static final Logger log = LoggerFactory.getLogger(CatalogMirror.class);
    /** How long one catalog or one torrent's metadata may take to arrive from peers. */
    static final long FETCH_TIMEOUT_SECONDS = 60;

    /** What one pass over one publisher did. */
    public record Pass(PublisherKey publisher, int listed, int added, int refused, int unavailable) {
    }

    private final Catalog catalog;
    private final CatalogSource source;
    private final List<PublisherKey> followed;

    public CatalogMirror(Catalog catalog, CatalogSource source, List<PublisherKey> followed) {
        this.catalog = catalog;
        this.source = source;
        this.followed = List.copyOf(followed);
    }

    public List<PublisherKey> followed() {
        return followed;
    }

    /** One pass over every followed publisher; a publisher that fails is logged and the others go on. */
    public List<Pass> refreshAll() throws InterruptedException {
        List<Pass> passes = new java.util.ArrayList<>();
        for (PublisherKey key : followed) {
            try {
                passes.add(refresh(key));
            } catch (ExecutionException | TimeoutException | IOException e) {
                log.warn("cannot mirror the catalog of {}: {}", key.fingerprint(), e.toString());
            }
        }
        return passes;
    }

    /** Resolves {@code publisher}'s catalog and publishes what it lists that this server lacks. */
    public Pass refresh(PublisherKey publisher)
            throws InterruptedException, ExecutionException, TimeoutException, IOException {
        Optional<PublisherCatalog> found = source.resolve(publisher).get(FETCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (found.isEmpty()) {
            log.info("publisher {} has no catalog in the DHT", publisher.fingerprint());
            return new Pass(publisher, 0, 0, 0, 0);
        }
        int added = 0;
        int refused = 0;
        int unavailable = 0;
        for (ListedTorrent t : found.get().torrents()) {
            if (catalog.get(t.infoHash()).isPresent()) {
                continue;
            }
            Metainfo metadata;
            try {
                metadata = source.metadata(t.infoHash()).get(FETCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                unavailable++;
                log.info("{} ({}) of {}: no metadata from peers: {}", t.name(), t.infoHash().shortHex(),
                        publisher.fingerprint(), e.toString());
                continue;
            }
            if (!t.describes(metadata)) {
                refused++;
                log.warn("{} ({}) of {}: the metadata from peers is not what the catalog signed; not mirrored",
                        t.name(), t.infoHash().shortHex(), publisher.fingerprint());
                continue;
            }
            TorrentSignature signature = t.signature();
            if (catalog.publish(metadata.toBytes(), metadata, signature).created()) {
                added++;
            }
        }
        log.info("mirrored the catalog of {}: {} listed, {} added", publisher.fingerprint(),
                found.get().torrents().size(), added);
        return new Pass(publisher, found.get().torrents().size(), added, refused, unavailable);
    }
}
