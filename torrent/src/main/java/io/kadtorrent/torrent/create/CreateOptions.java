package io.kadtorrent.torrent.create;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How {@link TorrentCreator} builds a .torrent. Start from {@link #defaults()} and change fields
 * with the {@code withX} methods.
 *
 * @param pieceLengthBytes piece length in bytes, a power of two; 0 = choose automatically
 *                         (about 1,000-2,000 pieces, 16 KiB-16 MiB, see {@link PieceLengthChoice})
 * @param name             the torrent's {@code info.name}; null = the source's file name
 * @param comment          the {@code comment} key; null = none
 * @param createdBy        the {@code created by} key; null = none
 * @param creationDate     the {@code creation date} key; null = the time of creation
 * @param nodes            BEP 5 bootstrap nodes written to the {@code nodes} key (outside info)
 * @param threads          hashing threads, >= 1
 * @param filter           which entries of a source folder go in ({@link SourceFilter#everything()} by default,
 *                         as mktorrent)
 * @param trackers         BEP 12 tiers of tracker URLs (http, https or udp): the first URL becomes {@code announce},
 *                         and all of them {@code announce-list} when there is more than one
 * @param privateTorrent   BEP 27: {@code private} = 1 in {@code info} (peers from trackers only; changes the info_hash)
 */
public record CreateOptions(int pieceLengthBytes, String name, String comment, String createdBy,
                            Instant creationDate, List<HostAndPort> nodes, int threads,
                            SourceFilter filter, List<List<String>> trackers, boolean privateTorrent) {

    public static final String CREATED_BY = "kadtorrent 0.1.0";

    public CreateOptions {
        if (pieceLengthBytes != 0 && (pieceLengthBytes < PieceLengthChoice.MIN_BYTES
                || pieceLengthBytes > MetainfoParser.MAX_PIECE_LENGTH || Integer.bitCount(pieceLengthBytes) != 1)) {
            throw new IllegalArgumentException("piece size must be a power of two between "
                    + PieceLengthChoice.MIN_BYTES + " and " + MetainfoParser.MAX_PIECE_LENGTH
                    + " bytes, got " + pieceLengthBytes);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        Objects.requireNonNull(filter, "filter");
        nodes = List.copyOf(nodes);
        List<List<String>> tiers = new ArrayList<>(trackers.size()); // loops: `create` starts cold, lambdas cost
        for (List<String> tier : trackers) {
            if (tier.isEmpty()) {
                throw new IllegalArgumentException("a tracker tier needs at least one URL");
            }
            for (String url : tier) {
                checkTracker(url);
            }
            tiers.add(List.copyOf(tier));
        }
        trackers = List.copyOf(tiers);
        for (HostAndPort node : nodes) {
            if (!node.hasPort()) {
                throw new IllegalArgumentException("node needs a port: " + node);
            }
        }
    }

    /** Automatic piece length, no comment, every core hashing, creation date = now, every file included. */
    public static CreateOptions defaults() {
        return new CreateOptions(0, null, null, CREATED_BY, null, List.of(),
                Runtime.getRuntime().availableProcessors(), SourceFilter.everything(), List.of(), false);
    }

    /** A URL a client can announce to: http, https or udp, with a host. */
    private static void checkTracker(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a tracker URL: " + url + " (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https") || scheme.equals("udp")) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a tracker URL: " + url
                    + " (want http://, https:// or udp://HOST...)");
        }
    }

    public CreateOptions withPieceLengthBytes(int v) {
        return new CreateOptions(v, name, comment, createdBy, creationDate, nodes, threads, filter,
                trackers, privateTorrent);
    }

    public CreateOptions withName(String v) {
        return new CreateOptions(pieceLengthBytes, v, comment, createdBy, creationDate, nodes, threads, filter,
                trackers, privateTorrent);
    }

    public CreateOptions withComment(String v) {
        return new CreateOptions(pieceLengthBytes, name, v, createdBy, creationDate, nodes, threads, filter,
                trackers, privateTorrent);
    }

    public CreateOptions withCreatedBy(String v) {
        return new CreateOptions(pieceLengthBytes, name, comment, v, creationDate, nodes, threads, filter,
                trackers, privateTorrent);
    }

    public CreateOptions withCreationDate(Instant v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, v, nodes, threads, filter,
                trackers, privateTorrent);
    }

    public CreateOptions withNodes(List<HostAndPort> v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, v, threads, filter,
                trackers, privateTorrent);
    }

    public CreateOptions withFilter(SourceFilter v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, nodes, threads, v,
                trackers, privateTorrent);
    }

    public CreateOptions withTrackers(List<List<String>> v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, nodes, threads, filter,
                v, privateTorrent);
    }

    public CreateOptions withPrivate(boolean v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, nodes, threads, filter,
                trackers, v);
    }

    public CreateOptions withThreads(int v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, nodes, v, filter,
                trackers, privateTorrent);
    }
}
