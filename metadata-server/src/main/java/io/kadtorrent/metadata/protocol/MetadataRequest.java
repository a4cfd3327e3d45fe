package io.kadtorrent.metadata.protocol;

import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.Arrays;
import java.util.Optional;

/**
 * A request of the metadata protocol (docs/metadata-protocol.md). Every request carries an
 * {@code id} the response echoes, so a client may pipeline several on one connection.
 */
public sealed interface MetadataRequest {

    /** Most entries one page may hold. */
    int MAX_PAGE = 1000;
    /** Longest search pattern or name accepted, in characters. */
    int MAX_TEXT_CHARS = 1024;

    long id();

    /** The wire name of the operation ({@code op}). */
    String op();

    /** One page of the whole catalog, ordered by name then info_hash. */
    record ListTorrents(long id, int offset, int limit) implements MetadataRequest {
        public ListTorrents {
            Paging.check(offset, limit);
        }

        @Override
        public String op() {
            return "list";
        }
    }

    /** One page of the torrents whose name or a file path contains {@code pattern}, ignoring case. */
    record Search(long id, String pattern, int offset, int limit) implements MetadataRequest {
        public Search {
            Paging.check(offset, limit);
            if (pattern.length() > MAX_TEXT_CHARS) {
                throw new IllegalArgumentException("pattern longer than " + MAX_TEXT_CHARS + " characters");
            }
        }

        @Override
        public String op() {
            return "search";
        }
    }

    /** The torrent with this info_hash. */
    record GetByInfoHash(long id, InfoHash infoHash) implements MetadataRequest {
        @Override
        public String op() {
            return "get";
        }
    }

    /**
     * The one torrent whose {@code info.name} is exactly {@code name}; with {@code publisher},
     * the one of that name this key published (so two publishers may share a name).
     */
    record GetByName(long id, String name, Optional<PublisherKey> publisher) implements MetadataRequest {
        public GetByName {
            if (name.isEmpty() || name.length() > MAX_TEXT_CHARS) {
                throw new IllegalArgumentException("name must be 1.." + MAX_TEXT_CHARS + " characters");
            }
        }

        /** By name alone. */
        public GetByName(long id, String name) {
            this(id, name, Optional.empty());
        }

        @Override
        public String op() {
            return "get";
        }
    }

    /** Adds a torrent, signed by its publisher, to the catalog. */
    record Publish(long id, byte[] torrent, TorrentSignature signature) implements MetadataRequest {
        public Publish {
            torrent = torrent.clone();
        }

        @Override
        public byte[] torrent() {
            return torrent.clone();
        }

        @Override
        public String op() {
            return "publish";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Publish p && id == p.id && Arrays.equals(torrent, p.torrent)
                    && signature.equals(p.signature);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(id) * 31 + Arrays.hashCode(torrent);
        }

        @Override
        public String toString() {
            return "Publish[id=" + id + ", " + torrent.length + " bytes, " + signature + "]";
        }
    }

    /** Removes a torrent from the catalog; only its publisher's key may, with a fresh signature. */
    record Unpublish(long id, UnpublishSignature signature) implements MetadataRequest {
        @Override
        public String op() {
            return "unpublish";
        }
    }

    /** The DHT nodes the server currently hands out as bootstrap nodes. */
    record Nodes(long id) implements MetadataRequest {
        @Override
        public String op() {
            return "nodes";
        }
    }

    /** Shared argument checks of the paged operations. */
    final class Paging {
        private Paging() {
        }

        static void check(int offset, int limit) {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0");
            }
            if (limit < 1 || limit > MAX_PAGE) {
                throw new IllegalArgumentException("limit must be 1.." + MAX_PAGE);
            }
        }
    }
}
