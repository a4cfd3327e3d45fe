package io.kadtorrent.engine.ext;

import io.kadtorrent.torrent.bencode.BencodeCodec;
import io.kadtorrent.torrent.metainfo.Metainfo;
import io.kadtorrent.torrent.metainfo.MetainfoParser;

import java.util.Map;
import java.util.Random;

/** Small valid torrents whose info dictionary spans a chosen number of BEP 9 metadata pieces. */
final class TestTorrents {

    private TestTorrents() {
    }

    /** A single-file torrent of {@code pieceCount} 16 KiB pieces with seeded random piece hashes. */
    static Metainfo withPieces(int pieceCount, long seed) {
        byte[] hashes = new byte[pieceCount * 20];
        new Random(seed).nextBytes(hashes);
        Map<String, Object> info = Map.of(
                "name", "data-" + seed + ".bin",
                "piece length", 16_384L,
                "length", 16_384L * pieceCount,
                "pieces", hashes);
        try {
            return MetainfoParser.parse(BencodeCodec.encode(Map.of("info", info)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
