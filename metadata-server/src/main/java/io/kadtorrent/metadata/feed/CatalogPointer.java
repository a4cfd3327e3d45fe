package io.kadtorrent.metadata.feed;

import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.BencodeLimits;
import io.kadtorrent.torrent.bencode.InvalidBencodeException;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Map;

/**
 * BEP 46: the value of a publisher's mutable item, {@code d2:ih20:<info_hash>e}, naming the torrent that
 * holds the publisher's current catalog. No I/O.
 */
public final class CatalogPointer {

    private static final BencodeLimits LIMITS = BencodeLimits.of(ItemValue.MAX_BYTES, 4, 64);

    private CatalogPointer() {
    }

    /** The item value pointing at {@code catalogTorrent}. */
    public static ItemValue to(InfoHash catalogTorrent) {
        return ItemValue.of(BencodeCodec.encode(Map.of("ih", catalogTorrent.bytes())));
    }

    /** The catalog torrent's info_hash in {@code value}; other keys are ignored, as BEP 46 allows. */
    public static InfoHash parse(ItemValue value) throws InvalidCatalogException {
        try {
            Object decoded = BencodeCodec.decode(value.bytes(), LIMITS);
            if (decoded instanceof Map<?, ?> m && m.get("ih") instanceof byte[] ih && ih.length == InfoHash.LENGTH) {
                return InfoHash.of(ih);
            }
            throw new InvalidCatalogException("the publisher's DHT item is not a BEP 46 pointer {ih: <20 bytes>}");
        } catch (InvalidBencodeException e) {
            throw new InvalidCatalogException("the publisher's DHT item is not valid bencode: " + e.getMessage(), e);
        }
    }
}
