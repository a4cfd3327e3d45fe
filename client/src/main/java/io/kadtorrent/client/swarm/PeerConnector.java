package io.kadtorrent.client.swarm;

import java.net.InetSocketAddress;

/** Opens outgoing peer connections for a swarm; the {@link Session} is the production one. */
@FunctionalInterface
public interface PeerConnector {

    void connect(TorrentSwarm swarm, InetSocketAddress address);
}
