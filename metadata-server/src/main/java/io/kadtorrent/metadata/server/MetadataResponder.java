package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.catalog.CatalogEntry;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.MetadataResponse.Failure;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * Answers metadata requests from the catalog; knows nothing of sockets. Reads are cheap and
 * run on the caller's thread; {@link #publish} touches the disk and belongs on a thread that
 * may block.
 */
public final class MetadataResponder {

    private static final Logger log = LoggerFactory.getLogger(MetadataResponder.class);

    private final Catalog catalog;
    private final BootstrapNodes bootstrapNodes;
    private final PublishPolicy policy;
    private final ServedTorrents served = new ServedTorrents();

    /** @param bootstrapNodes the DHT nodes to put in every served torrent's {@code nodes} */
    public MetadataResponder(Catalog catalog, BootstrapNodes bootstrapNodes, PublishPolicy policy) {
        this.catalog = catalog;
        this.bootstrapNodes = bootstrapNodes;
        this.policy = policy;
    }

    /** Answers any request but a publish; {@code serverAddress} is where the client reached us. */
    public MetadataResponse answer(MetadataRequest request, InetAddress serverAddress) {
        long id = request.id();
        if (request instanceof MetadataRequest.ListTorrents l) {
            return page(id, catalog.list(l.offset(), l.limit()));
        } else if (request instanceof MetadataRequest.Search s) {
            return page(id, catalog.search(s.pattern(), s.offset(), s.limit()));
        } else if (request instanceof MetadataRequest.GetByInfoHash g) {
            return catalog.get(g.infoHash()).map(e -> serve(id, e, serverAddress))
                    .orElseGet(() -> new Failure(id, ErrorCode.NOT_FOUND, "no torrent with info_hash " + g.infoHash().hex()));
        } else if (request instanceof MetadataRequest.GetByName g) {
            return byName(id, g.name(), serverAddress);
        } else if (request instanceof MetadataRequest.Nodes) {
            return new MetadataResponse.NodeList(id, nodes(serverAddress));
        }
        throw new IllegalArgumentException("publish goes through publish(): " + request);
    }

    /** Validates, authorizes and durably stores a publish; blocks on disk I/O. */
    public MetadataResponse publish(MetadataRequest.Publish p) {
        long id = p.id();
        Metainfo torrent;
        byte[] bytes = p.torrent();
        try {
            torrent = MetainfoParser.parse(bytes);
        } catch (InvalidMetainfoException e) {
            return new Failure(id, ErrorCode.INVALID_TORRENT, "not a valid .torrent: " + e.getMessage());
        }
        if (!p.signature().verifies(torrent)) {
            return new Failure(id, ErrorCode.BAD_SIGNATURE,
                    "signature does not match the torrent's info for key " + p.signature().key().fingerprint());
        }
        if (!policy.allows(p.signature().key())) {
            return new Failure(id, ErrorCode.KEY_NOT_ALLOWED,
                    "key " + p.signature().key().fingerprint() + " is not allowed to publish here");
        }
        try {
            Catalog.PublishResult r = catalog.publish(bytes, torrent, p.signature());
            return new MetadataResponse.Published(id, r.infoHash(), r.created());
        } catch (IOException e) {
            log.error("cannot store {}: {}", torrent.infoHash().shortHex(), e.toString());
            return new Failure(id, ErrorCode.INTERNAL_ERROR, "the server could not store the torrent");
        }
    }

    private MetadataResponse byName(long id, String name, InetAddress serverAddress) {
        List<CatalogEntry> hits = catalog.named(name);
        if (hits.isEmpty()) {
            return new Failure(id, ErrorCode.NOT_FOUND, "no torrent named '" + name + "'");
        }
        if (hits.size() > 1) {
            return new Failure(id, ErrorCode.AMBIGUOUS_NAME, hits.size() + " torrents are named '" + name
                    + "'; ask by info_hash");
        }
        return serve(id, hits.get(0), serverAddress);
    }

    /** The stored torrent with today's bootstrap nodes; the info bytes, so the info_hash, are untouched. */
    private MetadataResponse serve(long id, CatalogEntry e, InetAddress serverAddress) {
        byte[] torrent = served.serve(e, nodes(serverAddress));
        return new MetadataResponse.Torrent(id, torrent, e.signature());
    }

    private List<HostAndPort> nodes(InetAddress serverAddress) {
        try {
            return List.copyOf(bootstrapNodes.nodesFor(serverAddress));
        } catch (RuntimeException e) {
            log.warn("bootstrap node source failed, serving without nodes: {}", e.toString());
            return List.of();
        }
    }

    private static MetadataResponse page(long id, Catalog.Page p) {
        return new MetadataResponse.Page(id, p.torrents(), p.total(), p.offset());
    }
}
