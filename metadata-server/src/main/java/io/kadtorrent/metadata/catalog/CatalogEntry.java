package io.kadtorrent.metadata.catalog;

import io.kadtorrent.metadata.protocol.TorrentSummary;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One stored torrent with its publisher's signature, plus the lower-cased text a search scans
 * (the name and every file path). Immutable.
 */
public final class CatalogEntry {

    private final Metainfo metainfo;
    private final TorrentSignature signature;
    private final String searchText;

    CatalogEntry(Metainfo metainfo, TorrentSignature signature) {
        this.metainfo = metainfo;
        this.signature = signature;
        // One string with a separator that cannot occur in a name or path, so a pattern never
        // matches across two paths.
        this.searchText = (metainfo.name() + "\0" + metainfo.files().stream()
                .map(f -> String.join("/", f.path()))
                .collect(Collectors.joining("\0"))).toLowerCase(Locale.ROOT);
    }

    public Metainfo metainfo() {
        return metainfo;
    }

    public TorrentSignature signature() {
        return signature;
    }

    public InfoHash infoHash() {
        return metainfo.infoHash();
    }

    public String name() {
        return metainfo.name();
    }

    /** The key that published it. */
    public PublisherKey publisher() {
        return signature.key();
    }

    /** True when the name or a file path contains {@code lowerCasePattern} (already lower-cased). */
    boolean matches(String lowerCasePattern) {
        return searchText.contains(lowerCasePattern);
    }

    public TorrentSummary summary() {
        return new TorrentSummary(infoHash(), name(), metainfo.totalBytes(), metainfo.files().size(), signature.key());
    }

    @Override
    public String toString() {
        return "CatalogEntry[" + name() + ", " + infoHash().shortHex() + ", " + signature.key().fingerprint() + "]";
    }
}
