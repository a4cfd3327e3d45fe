package io.kadtorrent.metadata.catalog;

import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The torrents a metadata server serves: an in-memory index over a {@link CatalogFolder}.
 * Readers see an immutable snapshot and never block; publishes are serialized and become
 * visible only after they are durable on disk.
 */
public final class Catalog {

    private static final Logger log = LoggerFactory.getLogger(Catalog.class);

    /** Listing order: by name, then info_hash so equal names have a stable order. */
    private static final Comparator<CatalogEntry> ORDER =
            Comparator.comparing(CatalogEntry::name).thenComparing(CatalogEntry::infoHash);

    /**
     * An immutable view of the catalog at one moment; {@code names} are the distinct names in
     * listing order, prepared once here so a suggestion never lower-cases the whole catalog.
     */
    private record Snapshot(Map<InfoHash, CatalogEntry> byHash, List<CatalogEntry> sorted, NameSuggestions names) {
        static Snapshot of(Map<InfoHash, CatalogEntry> byHash, List<CatalogEntry> sorted) {
            List<String> distinct = new ArrayList<>();
            for (CatalogEntry e : sorted) {
                // sorted by name first, so equal names are neighbours
                if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(e.name())) {
                    distinct.add(e.name());
                }
            }
            return new Snapshot(Map.copyOf(byHash), List.copyOf(sorted), NameSuggestions.of(distinct));
        }
    }

    /**
     * The outcome of a publish: {@code created} is false when it was already stored;
     * {@code otherPublishers} are the other keys with a torrent of the same name (both stay).
     */
    public record PublishResult(InfoHash infoHash, boolean created, List<PublisherKey> otherPublishers) {
        public PublishResult {
            otherPublishers = List.copyOf(otherPublishers);
        }
    }

    /** The outcome of an unpublish. */
    public enum UnpublishResult {
        /** Removed, durably. */
        REMOVED,
        /** No torrent with that info_hash. */
        NOT_FOUND,
        /** The torrent was published by another key; nothing changed. */
        NOT_PUBLISHER
    }

    /** One page of entries and how many matched in all. */
    public record Page(List<TorrentSummary> torrents, int total, int offset) {
        public Page {
            torrents = List.copyOf(torrents);
        }
    }

    private final CatalogFolder folder;
    private volatile Snapshot snapshot;

    private Catalog(CatalogFolder folder, List<CatalogEntry> entries) {
        this.folder = folder;
        Map<InfoHash, CatalogEntry> byHash = new HashMap<>();
        entries.forEach(e -> byHash.put(e.infoHash(), e));
        List<CatalogEntry> sorted = new ArrayList<>(byHash.values());
        sorted.sort(ORDER);
        this.snapshot = Snapshot.of(byHash, sorted);
    }

    /** Opens (creating if needed) the catalog folder and rebuilds the index from its files. */
    public static Catalog open(Path dir) throws IOException {
        CatalogFolder folder = new CatalogFolder(dir);
        Catalog catalog = new Catalog(folder, folder.load());
        log.info("catalog {}: {} torrents", dir, catalog.size());
        return catalog;
    }

    public Path dir() {
        return folder.dir();
    }

    public int size() {
        return snapshot.sorted().size();
    }

    /**
     * Stores a torrent whose signature the caller has verified, durably, before returning.
     * Publishing an info_hash already stored changes nothing (the first publisher's copy stays).
     */
    public synchronized PublishResult publish(byte[] torrentBytes, Metainfo torrent, TorrentSignature signature)
            throws IOException {
        if (!signature.verifies(torrent)) {
            throw new IllegalArgumentException("signature does not verify; check before publishing");
        }
        InfoHash h = torrent.infoHash();
        Snapshot current = snapshot;
        List<PublisherKey> others = named(torrent.name()).stream().map(CatalogEntry::publisher)
                .filter(k -> !k.equals(signature.key())).distinct().toList();
        if (current.byHash().containsKey(h)) {
            return new PublishResult(h, false, others);
        }
        folder.write(torrentBytes, h, signature);
        CatalogEntry entry = new CatalogEntry(torrent, signature);
        Map<InfoHash, CatalogEntry> byHash = new HashMap<>(current.byHash());
        byHash.put(h, entry);
        List<CatalogEntry> sorted = new ArrayList<>(current.sorted());
        int at = Collections.binarySearch(sorted, entry, ORDER);
        sorted.add(-at - 1, entry);
        snapshot = Snapshot.of(byHash, sorted);
        log.debug("published {} ({})", h.shortHex(), torrent.name());
        return new PublishResult(h, true, others);
    }

    /**
     * Removes the torrent {@code infoHash} when {@code publisher} published it, durably, before
     * returning; the caller has checked that the request is really from {@code publisher}.
     */
    public synchronized UnpublishResult unpublish(InfoHash infoHash, PublisherKey publisher) throws IOException {
        Snapshot current = snapshot;
        CatalogEntry entry = current.byHash().get(infoHash);
        if (entry == null) {
            return UnpublishResult.NOT_FOUND;
        }
        if (!entry.publisher().equals(publisher)) {
            return UnpublishResult.NOT_PUBLISHER;
        }
        folder.remove(infoHash);
        Map<InfoHash, CatalogEntry> byHash = new HashMap<>(current.byHash());
        byHash.remove(infoHash);
        List<CatalogEntry> sorted = new ArrayList<>(current.sorted());
        sorted.remove(Collections.binarySearch(sorted, entry, ORDER));
        snapshot = Snapshot.of(byHash, sorted);
        log.debug("unpublished {} ({})", infoHash.shortHex(), entry.name());
        return UnpublishResult.REMOVED;
    }

    public Optional<CatalogEntry> get(InfoHash infoHash) {
        return Optional.ofNullable(snapshot.byHash().get(infoHash));
    }

    /** Every entry whose {@code info.name} is exactly {@code name}, in listing order. */
    public List<CatalogEntry> named(String name) {
        return snapshot.sorted().stream().filter(e -> e.name().equals(name)).toList();
    }

    /**
     * Up to {@code max} distinct names close to {@code asked}, best first: the same name in
     * another case, then names containing every word asked, then names a few edits away.
     */
    public List<String> suggestions(String asked, int max) {
        return snapshot.names().closest(asked, max);
    }

    public Page list(int offset, int limit) {
        return page(snapshot.sorted(), offset, limit);
    }

    /** Entries whose name or a file path contains {@code pattern}, ignoring case. */
    public Page search(String pattern, int offset, int limit) {
        String lower = pattern.toLowerCase(Locale.ROOT);
        List<CatalogEntry> hits = snapshot.sorted().stream().filter(e -> e.matches(lower)).toList();
        return page(hits, offset, limit);
    }

    private static Page page(List<CatalogEntry> entries, int offset, int limit) {
        int from = Math.min(offset, entries.size());
        int to = (int) Math.min((long) from + limit, entries.size());
        return new Page(entries.subList(from, to).stream().map(CatalogEntry::summary).toList(), entries.size(), from);
    }
}
