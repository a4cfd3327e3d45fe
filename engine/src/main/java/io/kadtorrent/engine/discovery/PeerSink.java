package io.kadtorrent.engine.discovery;

import java.net.InetSocketAddress;

/** The swarm of one torrent as a {@link PeerSource} sees it. Called on the source's thread. */
public interface PeerSink {

    /** True while the swarm would connect to more peers (below its connection target). */
    boolean needsPeers();

    /** A peer address the swarm has not been offered by this source before. */
    void offer(InetSocketAddress peer);

    /**
     * True when the torrent holds every piece and wants none (a sleeping seed): the peers of a swarm that a
     * source knows has no one downloading are seeds like us, with nothing to give or take, so they need not be
     * offered. False by default (also for a running seed, whose file choice may still change).
     */
    default boolean complete() {
        return false;
    }
}
