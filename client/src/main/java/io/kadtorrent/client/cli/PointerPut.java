package io.kadtorrent.client.cli;

import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.metadata.feed.CatalogPointer;
import io.kadtorrent.metadata.feed.InvalidCatalogException;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Puts a publisher's BEP 46 pointer at its catalog torrent: the same seq again when the DHT already
 * points there (a refresh before BEP 44's expiry), else the highest seq seen (in the DHT or in the
 * publisher's folder) plus one, with {@code cas} naming the seq it replaces. The item's salt is the one
 * {@code dht} reads, so each salted catalog has a pointer of its own.
 */
final class PointerPut {

    /** What one put did: {@code item} is the signed pointer put. */
    record Outcome(MutableItem item, long seq, boolean changed, int storedOn) {

        /** The {@code pointer:} line {@code publish --dht} and {@code share --dht} print. */
        String line(SigningKey key) {
            return "pointer: seq " + seq + (changed ? "" : " (unchanged, refreshed)") + " stored on " + storedOn
                    + " nodes, key " + key.publicKey().hex();
        }
    }

    /** Reads and puts of the pointer before {@link #put} gives up. */
    private static final int ATTEMPTS = 3;

    private PointerPut() {
    }

    /**
     * Reads the pointer, then puts the next (compare-and-swap on the one read). Another writer with the same key
     * (a {@code --keep} publisher of the same folder) may put between the two, and the nodes then refuse ours:
     * read again and put again, {@link #ATTEMPTS} times at most.
     */
    static Outcome put(DhtCatalogs dht, SigningKey key, OwnCatalog own, InfoHash catalogTorrent, long timeoutSeconds)
            throws Exception {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            Optional<Outcome> done = tryPut(dht, key, own, catalogTorrent, timeoutSeconds);
            if (done.isPresent()) {
                return done.get();
            }
        }
        throw new IOException("no DHT node stored the catalog pointer (" + ATTEMPTS + " attempts)");
    }

    /** One read and put; empty when no node stored it. */
    private static Optional<Outcome> tryPut(DhtCatalogs dht, SigningKey key, OwnCatalog own, InfoHash catalogTorrent,
                                            long timeoutSeconds) throws Exception {
        Optional<MutableItem> current = dht.pointer(key.publicKey()).get(timeoutSeconds, TimeUnit.SECONDS);
        boolean same = current.isPresent() && pointsAt(current.get(), catalogTorrent);
        OptionalLong local = own.lastSeq();
        long seq;
        if (same) {
            seq = current.get().seq();
        } else {
            long highest = Math.max(current.map(MutableItem::seq).orElse(0L), local.orElse(0L));
            seq = highest + 1;
        }
        MutableItem item = key.signItem(dht.salt(), seq, CatalogPointer.to(catalogTorrent));
        OptionalLong cas = current.isPresent() ? OptionalLong.of(current.get().seq()) : OptionalLong.empty();
        int stored = dht.node().put(item, cas).get(timeoutSeconds, TimeUnit.SECONDS);
        if (stored == 0) {
            return Optional.empty();
        }
        own.saveSeq(seq);
        return Optional.of(new Outcome(item, seq, !same, stored));
    }

    private static boolean pointsAt(MutableItem item, InfoHash catalogTorrent) {
        try {
            return CatalogPointer.parse(item.value()).equals(catalogTorrent);
        } catch (InvalidCatalogException e) {
            return false; // something else under our key: replace it
        }
    }
}
