package io.kadtorrent.metadata.server;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.CatalogEntry;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.List;

/**
 * The served bytes of each torrent (stored .torrent with the current bootstrap {@code nodes}),
 * kept until the node list changes: re-encoding a torrent on every get costs far more than
 * sending it. Bounded by total bytes. Thread-safe.
 */
final class ServedTorrents {

    /** 64 MiB: a few thousand typical .torrent files. */
    static final long MAX_CACHED_BYTES = 64L << 20;

    private record Served(List<HostAndPort> nodes, byte[] torrent) {
    }

    private final Cache<InfoHash, Served> cache = CacheBuilder.newBuilder()
            .maximumWeight(MAX_CACHED_BYTES)
            .weigher((InfoHash h, Served s) -> s.torrent().length)
            .build();

    /** Drops the cached bytes of a removed torrent. */
    void forget(InfoHash infoHash) {
        cache.invalidate(infoHash);
    }

    /** The .torrent bytes to serve for {@code entry} with {@code nodes}; do not modify the array. */
    byte[] serve(CatalogEntry entry, List<HostAndPort> nodes) {
        Served s = cache.getIfPresent(entry.infoHash());
        if (s != null && s.nodes().equals(nodes)) {
            return s.torrent();
        }
        byte[] torrent = entry.metainfo().withNodes(nodes).toBytes();
        cache.put(entry.infoHash(), new Served(List.copyOf(nodes), torrent));
        return torrent;
    }
}
