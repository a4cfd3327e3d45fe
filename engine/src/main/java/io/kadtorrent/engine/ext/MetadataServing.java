package io.kadtorrent.engine.ext;

import io.kadtorrent.torrent.metainfo.Metainfo;

/**
 * Answers BEP 9 ut_metadata requests from the exact {@code info} bytes of a torrent we have, so
 * peers that joined through a magnet link can fetch it from us. Immutable, thread-safe.
 */
public final class MetadataServing {

    private final byte[] rawInfo;
    private final MetadataLayout layout;

    private MetadataServing(byte[] rawInfo) {
        this.rawInfo = rawInfo;
        this.layout = new MetadataLayout(rawInfo.length);
    }

    /**
     * Serves {@code metainfo}'s info dictionary. Info dictionaries above
     * {@link MetadataLayout#MAX_TOTAL_BYTES} cannot be served (no client would fetch them either).
     */
    public static MetadataServing of(Metainfo metainfo) {
        return new MetadataServing(metainfo.rawInfo());
    }

    /** True when {@code metainfo}'s info dictionary is small enough to serve over BEP 9. */
    public static boolean canServe(Metainfo metainfo) {
        return MetadataLayout.isValidSize(metainfo.rawInfo().length);
    }

    /** The {@code metadata_size} to put in our extension handshake. */
    public int metadataSizeBytes() {
        return layout.totalSizeBytes();
    }

    /** The answer to {@code request}: the piece, or a reject when it lies beyond the metadata. */
    public MetadataMessage answer(MetadataMessage.Request request) {
        if (!layout.hasPiece(request.piece())) {
            return new MetadataMessage.Reject(request.piece());
        }
        return new MetadataMessage.Data(request.piece(), layout.totalSizeBytes(), layout.slice(rawInfo, request.piece()));
    }
}
