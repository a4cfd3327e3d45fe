package io.kadtorrent.dht;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A running DHT node on a real UDP socket: the public API of the dht module.
 * TODO(issue 3): the signatures are the contract other modules compile against; the
 * implementation lands with the DHT issue.
 */
public final class DhtNode implements AutoCloseable {

    private DhtNode() {
    }

    /** Binds the UDP socket, restores state if configured, and starts the node's event loop. */
    public static DhtNode start(DhtConfig config) throws IOException {
        throw new UnsupportedOperationException("DHT not implemented yet (issue 3)");
    }

    /** The bound UDP address. */
    public InetSocketAddress localAddress() {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Joins through {@code seeds}; completes with the routing table size after a self-lookup. */
    public CompletableFuture<Integer> bootstrap(List<InetSocketAddress> seeds) {
        throw new UnsupportedOperationException("issue 3");
    }

    /**
     * Looks up peers for {@code infoHash}; {@code onPeer} is called once per new peer as found
     * (on the node's thread, keep it short); completes with all peers found when the lookup ends.
     */
    public CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Announces that this host serves {@code infoHash} on TCP {@code port}; completes with how many nodes accepted. */
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Up to {@code max} good contacts from the routing table (for bootstrap lists). */
    public List<InetSocketAddress> contacts(int max) {
        throw new UnsupportedOperationException("issue 3");
    }

    /** Saves state if configured and closes the socket. */
    @Override
    public void close() {
    }
}
