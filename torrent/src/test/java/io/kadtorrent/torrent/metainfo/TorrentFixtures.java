package io.kadtorrent.torrent.metainfo;

import io.kadtorrent.torrent.bencode.BencodeCodec;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds .torrent dictionaries for tests; mutate the returned maps to make bad ones. */
final class TorrentFixtures {

    private TorrentFixtures() {
    }

    /** A valid single-file info dict for {@code length} bytes of zeros. */
    static Map<String, Object> singleFileInfo(String name, long length, int pieceLength) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", (long) pieceLength);
        info.put("pieces", zeroPieceHashes(length, pieceLength));
        info.put("length", length);
        return info;
    }

    /** A valid multi-file info dict; {@code paths} are '/'-joined, each file {@code fileLength} bytes. */
    static Map<String, Object> multiFileInfo(String name, int pieceLength, long fileLength, String... paths) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("name", name);
        info.put("piece length", (long) pieceLength);
        info.put("pieces", zeroPieceHashes(fileLength * paths.length, pieceLength));
        List<Object> files = new ArrayList<>();
        for (String p : paths) {
            files.add(Map.of("length", fileLength, "path", List.of(p.split("/", -1))));
        }
        info.put("files", files);
        return info;
    }

    static byte[] torrent(Map<String, Object> info) {
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("info", info);
        return BencodeCodec.encode(top);
    }

    static byte[] zeroPieceHashes(long length, int pieceLength) {
        try {
            int count = (int) ((length + pieceLength - 1) / pieceLength);
            byte[] out = new byte[count * 20];
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            for (int i = 0; i < count; i++) {
                long size = Math.min(pieceLength, length - (long) i * pieceLength);
                byte[] h = sha1.digest(new byte[(int) size]);
                System.arraycopy(h, 0, out, i * 20, 20);
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
