package io.kadtorrent.metadata.feed;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.bencode.RawBencode;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single-file torrent that carries a publisher's {@code catalog.bencode} between peers. It is made
 * from the catalog bytes alone (fixed name and piece length, no other keys), so the same catalog always
 * has the same info_hash, whoever builds it. No I/O.
 */
public final class CatalogTorrent {

    /** The file name inside the torrent. */
    public static final String FILE_NAME = "catalog.bencode";
    static final int PIECE_LENGTH_BYTES = 16 << 10; // BEP 3 allows any power of two; one block per piece

    private CatalogTorrent() {
    }

    /** The torrent of {@code catalogBytes}. */
    public static Metainfo of(byte[] catalogBytes) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("length", (long) catalogBytes.length);
        info.put("name", FILE_NAME);
        info.put("piece length", (long) PIECE_LENGTH_BYTES);
        info.put("pieces", pieceHashes(catalogBytes));
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info", RawBencode.of(BencodeCodec.encode(info)));
        try {
            return MetainfoParser.parse(BencodeCodec.encode(top));
        } catch (InvalidMetainfoException e) {
            throw new IllegalStateException("a catalog torrent we built does not parse: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses metadata fetched by a catalog pointer's info_hash unless it looks like a catalog torrent:
     * one file named {@link #FILE_NAME}, at most {@link CatalogCodec#MAX_BYTES}. Checked before any byte
     * of it is downloaded.
     */
    public static void check(Metainfo metadata) throws InvalidCatalogException {
        if (!metadata.isSingleFile() || !metadata.name().equals(FILE_NAME)) {
            throw new InvalidCatalogException("the catalog pointer names a torrent that is not a catalog ("
                    + metadata.name() + ")");
        }
        if (metadata.totalBytes() > CatalogCodec.MAX_BYTES) {
            throw new InvalidCatalogException("the catalog torrent is " + metadata.totalBytes() + " bytes, over "
                    + CatalogCodec.MAX_BYTES);
        }
    }

    private static byte[] pieceHashes(byte[] data) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int at = 0; at < data.length; at += PIECE_LENGTH_BYTES) {
                sha1.update(data, at, Math.min(PIECE_LENGTH_BYTES, data.length - at));
                out.writeBytes(sha1.digest());
            }
            return out.toByteArray();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }
}
