package io.kadtorrent.metadata.feed;

import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.FileEntry;
import io.kadtorrent.torrent.metainfo.InfoHash;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.util.Locale;

/**
 * One torrent in a publisher's DHT catalog. {@code signature} is the publisher's signature of the
 * torrent's {@code info} bytes (the one a metadata server checks on publish), so whoever fetches the
 * torrent's metadata by its info_hash can check it again.
 *
 * @param name        the torrent's {@code info.name}, a safe file name
 * @param infoHash    BEP 3 info_hash
 * @param sizeBytes   total length of its files
 * @param dateSeconds when it was added to the catalog, unix seconds
 * @param signature   the publisher's signature of its {@code info} bytes
 */
public record ListedTorrent(String name, InfoHash infoHash, long sizeBytes, long dateSeconds,
                            TorrentSignature signature) {

    public ListedTorrent {
        String problem = FileEntry.componentProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("name " + name + " is not a safe file name: " + problem);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("size must be >= 0, got " + sizeBytes);
        }
    }

    /** The entry for {@code torrent} signed with {@code signature}, dated {@code dateSeconds}. */
    public static ListedTorrent of(Metainfo torrent, TorrentSignature signature, long dateSeconds) {
        if (!signature.verifies(torrent)) {
            throw new IllegalArgumentException("the signature is not over " + torrent.name() + "'s info");
        }
        return new ListedTorrent(torrent.name(), torrent.infoHash(), torrent.totalBytes(), dateSeconds, signature);
    }

    /**
     * True when {@code metadata}, fetched by this entry's info_hash, is the torrent listed: same
     * info_hash, name and size, and the entry's signature verifies over its {@code info} bytes.
     */
    public boolean describes(Metainfo metadata) {
        return metadata.infoHash().equals(infoHash) && metadata.name().equals(name)
                && metadata.totalBytes() == sizeBytes && signature.verifies(metadata);
    }

    /** True when the name contains {@code lowerCasePattern} (already lower-cased). */
    boolean matches(String lowerCasePattern) {
        return name.toLowerCase(Locale.ROOT).contains(lowerCasePattern);
    }
}
