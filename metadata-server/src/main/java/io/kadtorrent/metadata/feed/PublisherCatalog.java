package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The torrents one publisher lists in the DHT (BEP 46), in name then info_hash order. Immutable:
 * {@link #with} returns a new catalog. Encoded and signed by {@link CatalogCodec}.
 *
 * @param publisher      whose catalog it is; only this key's signature makes it valid
 * @param updatedSeconds when it last changed, unix seconds
 * @param torrents       at most one entry per info_hash
 */
public record PublisherCatalog(PublisherKey publisher, long updatedSeconds, List<ListedTorrent> torrents) {

    /** Listing order, also the encoded order, so the same catalog always encodes to the same bytes. */
    static final Comparator<ListedTorrent> ORDER =
            Comparator.comparing(ListedTorrent::name).thenComparing(ListedTorrent::infoHash);

    public PublisherCatalog {
        List<ListedTorrent> sorted = new ArrayList<>(torrents);
        sorted.sort(ORDER);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).infoHash().equals(sorted.get(i - 1).infoHash())) {
                throw new IllegalArgumentException("info_hash " + sorted.get(i).infoHash().hex() + " is listed twice");
            }
        }
        if (sorted.stream().anyMatch(t -> !t.signature().key().equals(publisher))) {
            throw new IllegalArgumentException("every entry must be signed by the catalog's publisher");
        }
        torrents = List.copyOf(sorted);
    }

    /** A catalog with no torrents yet. */
    public static PublisherCatalog empty(PublisherKey publisher, long nowSeconds) {
        return new PublisherCatalog(publisher, nowSeconds, List.of());
    }

    /** This catalog with {@code torrent} added (unchanged, same object, when its info_hash is already listed). */
    public PublisherCatalog with(ListedTorrent torrent, long nowSeconds) {
        if (find(torrent.infoHash()).isPresent()) {
            return this;
        }
        List<ListedTorrent> more = new ArrayList<>(torrents);
        more.add(torrent);
        return new PublisherCatalog(publisher, nowSeconds, more);
    }

    public Optional<ListedTorrent> find(InfoHash infoHash) {
        return torrents.stream().filter(t -> t.infoHash().equals(infoHash)).findFirst();
    }

    /** Entries whose name contains {@code pattern}, ignoring case. */
    public List<ListedTorrent> search(String pattern) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        return torrents.stream().filter(t -> t.matches(lower)).toList();
    }

    /** The newest entry named exactly {@code name} (a publisher may list several versions under one name). */
    public Optional<ListedTorrent> newest(String name) {
        return torrents.stream().filter(t -> t.name().equals(name))
                .max(Comparator.comparingLong(ListedTorrent::dateSeconds));
    }
}
