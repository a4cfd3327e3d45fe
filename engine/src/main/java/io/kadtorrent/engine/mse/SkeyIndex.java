package io.kadtorrent.engine.mse;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The info_hashes an MSE responder may be asked for, keyed by HASH('req2', SKEY), so an incoming
 * handshake finds its torrent with one lookup rather than one hash per torrent. Thread-safe: the session
 * adds and removes torrents while event loops read.
 */
public final class SkeyIndex {

    private final Map<String, InfoHash> byReq2 = new ConcurrentHashMap<>();

    public void add(InfoHash infoHash) {
        byReq2.put(key(MseHandshake.req2(infoHash)), infoHash);
    }

    public void remove(InfoHash infoHash) {
        byReq2.remove(key(MseHandshake.req2(infoHash)));
    }

    /** The torrent whose HASH('req2', info_hash) is {@code req2Hash}. */
    public Optional<InfoHash> find(byte[] req2Hash) {
        return Optional.ofNullable(byReq2.get(key(req2Hash)));
    }

    private static String key(byte[] hash) {
        return HexFormat.of().formatHex(hash);
    }
}
