package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.SimNode;
import io.kadtorrent.engine.discovery.PeerLookup;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link PeerLookup} through one simulated node's real {@link io.kadtorrent.dht.engine.DhtEngine}, as
 * {@code PeerLookup.of(DhtNode)} is through a running node: the futures complete in virtual time, when
 * the engine's lookup ends. A lookup of a node that was killed meanwhile never completes, as with a
 * process that died.
 */
final class SimDhtLookup implements PeerLookup {

    private final DhtTimeline timeline;
    private final SimNode node;

    SimDhtLookup(DhtTimeline timeline, SimNode node) {
        this.timeline = timeline;
        this.node = node;
    }

    @Override
    public CompletableFuture<Set<InetSocketAddress>> getPeers(InfoHash infoHash, Consumer<InetSocketAddress> onPeer) {
        CompletableFuture<Set<InetSocketAddress>> peers = new CompletableFuture<>();
        timeline.act(node, (engine, now) -> engine.getPeers(now, infoHash, onPeer, r -> peers.complete(r.peers())));
        return peers;
    }

    @Override
    public CompletableFuture<Integer> announce(InfoHash infoHash, int port) {
        CompletableFuture<Integer> accepted = new CompletableFuture<>();
        timeline.act(node, (engine, now) -> engine.announce(now, infoHash, port, false, accepted::complete));
        return accepted;
    }
}
