package io.kadtorrent.metadata.protocol;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/** A response of the metadata protocol; {@link #id()} echoes the request's. */
public sealed interface MetadataResponse {

    long id();

    /**
     * One page of a list or search.
     *
     * @param total  how many torrents match in all
     * @param offset index of the first entry of this page among them
     */
    record Page(long id, List<TorrentSummary> torrents, int total, int offset) implements MetadataResponse {
        public Page {
            torrents = List.copyOf(torrents);
        }

        /** True when entries follow this page. */
        public boolean hasMore() {
            return offset + torrents.size() < total;
        }
    }

    /**
     * A served torrent: the .torrent bytes (with the server's bootstrap {@code nodes}) and the
     * publisher's signature of its {@code info}.
     */
    record Torrent(long id, byte[] torrent, TorrentSignature signature) implements MetadataResponse {
        public Torrent {
            torrent = torrent.clone();
        }

        @Override
        public byte[] torrent() {
            return torrent.clone();
        }

        /** The torrent bytes as a read-only view, without a copy (for the encoder's hot path). */
        public ByteBuffer torrentView() {
            return ByteBuffer.wrap(torrent).asReadOnlyBuffer();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Torrent t && id == t.id && Arrays.equals(torrent, t.torrent)
                    && signature.equals(t.signature);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + Arrays.hashCode(torrent);
        }

        @Override
        public String toString() {
            return "Torrent[id=" + id + ", " + torrent.length + " bytes, " + signature + "]";
        }
    }

    /**
     * A publish was stored; {@code created} is false when the catalog already had it (idempotent).
     * {@code otherPublishers} are the other keys whose torrents carry the same name: both stay,
     * and a get by that name alone now needs the publisher's key (or the info_hash).
     */
    record Published(long id, InfoHash infoHash, boolean created, List<PublisherKey> otherPublishers)
            implements MetadataResponse {
        public Published {
            otherPublishers = List.copyOf(otherPublishers);
        }

        public Published(long id, InfoHash infoHash, boolean created) {
            this(id, infoHash, created, List.of());
        }

        /** True when another key already published a torrent of this name. */
        public boolean nameTakenByOtherKey() {
            return !otherPublishers.isEmpty();
        }
    }

    /** A torrent was removed from the catalog, durably, by its publisher. */
    record Unpublished(long id, InfoHash infoHash) implements MetadataResponse {
    }

    /** The server's bootstrap DHT nodes. */
    record NodeList(long id, List<HostAndPort> nodes) implements MetadataResponse {
        public NodeList {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * The request failed; {@code message} is one human-readable line. {@code suggestions} are
     * close torrent names when a get by name found none (at most {@link #MAX_SUGGESTIONS}).
     */
    record Failure(long id, ErrorCode code, String message, List<String> suggestions) implements MetadataResponse {
        /** Most suggestions one failure carries. */
        public static final int MAX_SUGGESTIONS = 5;

        public Failure {
            suggestions = List.copyOf(suggestions.subList(0, Math.min(MAX_SUGGESTIONS, suggestions.size())));
        }

        public Failure(long id, ErrorCode code, String message) {
            this(id, code, message, List.of());
        }
    }
}
