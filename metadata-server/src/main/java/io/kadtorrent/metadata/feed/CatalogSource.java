package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Where publishers' catalogs and their torrents' metadata come from: the DHT and peers (BEP 44/46 and
 * BEP 9), implemented above this module by whoever runs a peer engine. The seam keeps the metadata
 * server free of the engine.
 */
public interface CatalogSource {

    /**
     * The newest catalog of {@code publisher}: its mutable item resolved, the catalog torrent fetched and
     * its signature checked; empty when the publisher has no item in the DHT.
     */
    CompletableFuture<Optional<PublisherCatalog>> resolve(PublisherKey publisher);

    /** The metadata of {@code infoHash} from peers (BEP 9), verified against the info_hash; nothing written. */
    CompletableFuture<Metainfo> metadata(InfoHash infoHash);
}
