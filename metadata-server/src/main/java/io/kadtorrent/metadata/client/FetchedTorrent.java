package io.kadtorrent.metadata.client;

import io.kadtorrent.metadata.signing.TorrentSignature;
import io.kadtorrent.torrent.metainfo.Metainfo;

/**
 * A torrent fetched from a metadata server and verified: its info_hash or name is what was
 * asked for and {@code signature} is a valid signature of its {@code info} by {@code signature.key()}.
 */
public record FetchedTorrent(Metainfo metainfo, TorrentSignature signature) {
}
