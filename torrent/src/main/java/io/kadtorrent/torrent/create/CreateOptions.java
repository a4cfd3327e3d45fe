package io.kadtorrent.torrent.create;

import com.google.common.net.HostAndPort;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.time.Instant;
import java.util.List;
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
 */
public record CreateOptions(int pieceLengthBytes, String name, String comment, String createdBy,
                            Instant creationDate, List<HostAndPort> nodes, int threads,
                            SourceFilter filter) {

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
        for (HostAndPort node : nodes) {
            if (!node.hasPort()) {
                throw new IllegalArgumentException("node needs a port: " + node);
            }
        }
    }

    /** Automatic piece length, no comment, every core hashing, creation date = now, every file included. */
    public static CreateOptions defaults() {
        return new CreateOptions(0, null, null, CREATED_BY, null, List.of(),
                Runtime.getRuntime().availableProcessors(), SourceFilter.everything());
    }

    public CreateOptions withPieceLengthBytes(int v) {
        return new CreateOptions(v, name, comment, createdBy, creationDate, nodes, threads, filter);
    }

    public CreateOptions withName(String v) {
        return new CreateOptions(pieceLengthBytes, v, comment, createdBy, creationDate, nodes, threads, filter);
    }

    public CreateOptions withComment(String v) {
        return new CreateOptions(pieceLengthBytes, name, v, createdBy, creationDate, nodes, threads, filter);
    }

    public CreateOptions withCreatedBy(String v) {
        return new CreateOptions(pieceLengthBytes, name, comment, v, creationDate, nodes, threads, filter);
    }

    public CreateOptions withCreationDate(Instant v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, v, nodes, threads, filter);
    }

    public CreateOptions withNodes(List<HostAndPort> v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, v, threads, filter);
    }

    public CreateOptions withFilter(SourceFilter v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, nodes, threads, v);
    }

    public CreateOptions withThreads(int v) {
        return new CreateOptions(pieceLengthBytes, name, comment, createdBy, creationDate, nodes, v, filter);
    }
}
