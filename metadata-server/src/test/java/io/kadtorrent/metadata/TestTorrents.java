package io.kadtorrent.metadata;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.InvalidMetainfoException;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.util.List;
import java.util.Map;

/** Small valid .torrent files for tests (piece hashes are arbitrary: nobody downloads them). */
public final class TestTorrents {

    private static final int PIECE = 16 << 10;

    private TestTorrents() {
    }

    /** A single-file torrent of {@code length} bytes; {@code salt} makes the info_hash unique. */
    public static byte[] singleFile(String name, long length, int salt) {
        Map<String, Object> info = Map.of(
                "name", name,
                "piece length", PIECE,
                "pieces", pieces(length, salt),
                "length", length);
        return BencodeCodec.encode(Map.of("info", info, "comment", "test torrent"));
    }

    /** A multi-file torrent whose files are {@code paths} (each "a/b/c"), 1,000 bytes each. */
    public static byte[] multiFile(String name, int salt, String... paths) {
        List<Object> files = java.util.Arrays.stream(paths)
                .map(p -> (Object) Map.of("length", 1000L, "path", List.of((Object[]) p.split("/"))))
                .toList();
        Map<String, Object> info = Map.of(
                "name", name,
                "piece length", PIECE,
                "pieces", pieces(1000L * paths.length, salt),
                "files", files);
        return BencodeCodec.encode(Map.of("info", info));
    }

    public static Metainfo parse(byte[] torrent) {
        try {
            return MetainfoParser.parse(torrent);
        } catch (InvalidMetainfoException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] pieces(long length, int salt) {
        int count = (int) Math.max(1, (length + PIECE - 1) / PIECE);
        byte[] out = new byte[count * 20];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (i * 31 + salt * 17 + (salt >>> 8));
        }
        out[0] = (byte) salt;
        out[1] = (byte) (salt >>> 8);
        out[2] = (byte) (salt >>> 16);
        return out;
    }
}
