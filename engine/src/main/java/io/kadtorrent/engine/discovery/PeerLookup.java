package io.kadtorrent.engine.discovery;

import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The part of the DHT that discovery uses (BEP 5 get_peers and announce_peer), as a seam so tests
 * can pass a fake. Implementations may call back on any thread.
 */
public interface PeerLookup {

    /** Looks up peers, calling {@code onPeer} as they are found; completes when the lookup ends. */
    CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer);

    /** Announces that we serve {@code infoHash} on TCP {@code port}; completes with how many nodes accepted. */
    CompletableFuture<Integer> announce(InfoHash infoHash, int port);

    /** Lookups through a running DHT node. */
    static PeerLookup of(DhtNode node) {
        return new PeerLookup() {
            @Override
            public CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash,
                                                                      Consumer<InetSocketAddress> onPeer) {
                return node.getPeers(infoHash, onPeer);
            }

            @Override
            public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
                return node.announce(infoHash, port);
            }
        };
    }
}
