package io.kadtorrent.engine.discovery;

import java.net.InetSocketAddress;

/** The swarm of one torrent as a {@link PeerSource} sees it. Called on the source's thread. */
public interface PeerSink {

    /** True while the swarm would connect to more peers (below its connection target). */
    boolean needsPeers();

    /** A peer address the swarm has not been offered by this source before. */
    void offer(InetSocketAddress peer);
}
