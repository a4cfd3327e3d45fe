package io.kadtorrent.metadata.protocol;

import com.google.common.net.HostAndPort;
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

    /** A publish was stored; {@code created} is false when the catalog already had it (idempotent). */
    record Published(long id, InfoHash infoHash, boolean created) implements MetadataResponse {
    }

    /** The server's bootstrap DHT nodes. */
    record NodeList(long id, List<HostAndPort> nodes) implements MetadataResponse {
        public NodeList {
            nodes = List.copyOf(nodes);
        }
    }

    /** The request failed; {@code message} is one human-readable line. */
    record Failure(long id, ErrorCode code, String message) implements MetadataResponse {
    }
}
