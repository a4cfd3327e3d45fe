package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.catalog.CatalogEntry;
import io.kadtorrent.metadata.protocol.ErrorCode;
import io.kadtorrent.metadata.protocol.MetadataRequest;
import io.kadtorrent.metadata.protocol.MetadataResponse;
import io.kadtorrent.metadata.protocol.MetadataResponse.Failure;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.metadata.signing.UnpublishSignature;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers metadata requests from the catalog; knows nothing of sockets. Reads are cheap and
 * run on the caller's thread; {@link #publish} and {@link #unpublish} touch the disk and belong
 * on a thread that may block.
 */
public final class MetadataResponder {

    private static final Logger log = LoggerFactory.getLogger(MetadataResponder.class);

    private final Catalog catalog;
    private final BootstrapNodes bootstrapNodes;
    private final PublishPolicy policy;
    private final Clock clock;
    private final ServedTorrents served = new ServedTorrents();
    private final UsedUnpublishes usedUnpublishes = new UsedUnpublishes();

    /** @param bootstrapNodes the DHT nodes to put in every served torrent's {@code nodes} */
    public MetadataResponder(Catalog catalog, BootstrapNodes bootstrapNodes, PublishPolicy policy) {
        this(catalog, bootstrapNodes, policy, Clock.systemUTC());
    }

    /** @param clock the time unpublish signatures are checked against */
    public MetadataResponder(Catalog catalog, BootstrapNodes bootstrapNodes, PublishPolicy policy, Clock clock) {
        this.catalog = catalog;
        this.bootstrapNodes = bootstrapNodes;
        this.policy = policy;
        this.clock = clock;
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
            return byName(g, serverAddress);
        } else if (request instanceof MetadataRequest.Nodes) {
            return new MetadataResponse.NodeList(id, nodes(serverAddress));
        }
        throw new IllegalArgumentException("publish and unpublish go through their own methods: " + request);
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
            return new MetadataResponse.Published(id, r.infoHash(), r.created(), r.otherPublishers());
        } catch (IOException e) {
            log.error("cannot store {}: {}", torrent.infoHash().shortHex(), e.toString());
            return new Failure(id, ErrorCode.INTERNAL_ERROR, "the server could not store the torrent");
        }
    }

    /**
     * Checks and durably applies an unpublish; blocks on disk I/O. The signature must verify
     * (401), be fresh (401), name a stored torrent (404), not have removed it before (401: a
     * replay after the torrent was published again) and be by its publisher's key (403).
     */
    public MetadataResponse unpublish(MetadataRequest.Unpublish u) {
        long id = u.id();
        UnpublishSignature s = u.signature();
        Instant now = clock.instant();
        if (!s.verifies()) {
            return new Failure(id, ErrorCode.BAD_SIGNATURE, "unpublish signature does not verify for key "
                    + s.key().fingerprint() + " and info_hash " + s.infoHash().hex());
        }
        if (!s.isFresh(now)) {
            return new Failure(id, ErrorCode.BAD_SIGNATURE, "unpublish signed at unix time " + s.timeSeconds()
                    + ", but the server's time is " + now.getEpochSecond() + ": more than "
                    + UnpublishSignature.MAX_CLOCK_SKEW.toMinutes() + " minutes apart (check the clock)");
        }
        if (catalog.get(s.infoHash()).isEmpty()) {
            // Before the replay check, so a retried unpublish hears that the torrent is gone.
            return new Failure(id, ErrorCode.NOT_FOUND, "no torrent with info_hash " + s.infoHash().hex());
        }
        if (usedUnpublishes.wasUsed(s)) {
            return new Failure(id, ErrorCode.BAD_SIGNATURE, "this unpublish signature was already used; sign a new one");
        }
        try {
            return switch (catalog.unpublish(s.infoHash(), s.key())) {
                case NOT_FOUND -> new Failure(id, ErrorCode.NOT_FOUND, "no torrent with info_hash " + s.infoHash().hex());
                case NOT_PUBLISHER -> new Failure(id, ErrorCode.KEY_NOT_ALLOWED, "key " + s.key().fingerprint()
                        + " did not publish " + s.infoHash().hex() + "; only its publisher "
                        + catalog.get(s.infoHash()).map(e -> e.publisher().fingerprint()).orElse("?") + " may remove it");
                case REMOVED -> {
                    usedUnpublishes.remember(s);
                    served.forget(s.infoHash());
                    yield new MetadataResponse.Unpublished(id, s.infoHash());
                }
            };
        } catch (IOException e) {
            log.error("cannot remove {}: {}", s.infoHash().shortHex(), e.toString());
            return new Failure(id, ErrorCode.INTERNAL_ERROR, "the server could not remove the torrent");
        }
    }

    private MetadataResponse byName(MetadataRequest.GetByName g, InetAddress serverAddress) {
        long id = g.id();
        String name = g.name();
        List<CatalogEntry> hits = catalog.named(name);
        if (g.publisher().isPresent()) {
            PublisherKey wanted = g.publisher().get();
            List<CatalogEntry> mine = hits.stream().filter(e -> e.publisher().equals(wanted)).toList();
            if (mine.isEmpty() && !hits.isEmpty()) {
                return new Failure(id, ErrorCode.NOT_FOUND, "key " + wanted.fingerprint() + " published no torrent named '"
                        + name + "'; " + candidates(hits));
            }
            hits = mine;
        }
        if (hits.isEmpty()) {
            List<String> close = catalog.suggestions(name, Failure.MAX_SUGGESTIONS);
            return new Failure(id, ErrorCode.NOT_FOUND, "no torrent named '" + name + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + close.stream().map(n -> "'" + n + "'")
                    .collect(Collectors.joining(", ")) + "?"), close);
        }
        if (hits.size() > 1) {
            return new Failure(id, ErrorCode.AMBIGUOUS_NAME, hits.size() + " torrents are named '" + name
                    + "'; ask by info_hash or with the publisher's key: " + candidates(hits));
        }
        return serve(id, hits.get(0), serverAddress);
    }

    /** "info_hash 1a2b3c4d5e6f7a8b by key 0123456789abcdef, ...": who published each torrent of one name. */
    private static String candidates(List<CatalogEntry> entries) {
        int shown = 10;
        String list = entries.stream().limit(shown)
                .map(e -> "info_hash " + e.infoHash().hex().substring(0, 16) + " by key " + e.publisher().fingerprint())
                .collect(Collectors.joining(", "));
        return entries.size() > shown ? list + " and " + (entries.size() - shown) + " more" : list;
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
