package io.kadtorrent.engine.discovery;

/**
 * Finds peers for one torrent and offers them to its {@link PeerSink}: the DHT, the {@code --peer}
 * list, later others (metadata server, PEX). The swarm owns its sources and closes them.
 */
public interface PeerSource extends AutoCloseable {

    /** Begins finding peers. Called once. */
    void start();

    /** The torrent is complete: tell the world we now seed, where the source can (DHT announce). */
    default void torrentComplete() {
    }

    /** The swarm dropped below its peer target: look again soon rather than after a backoff. */
    default void peersNeeded() {
    }

    /** Stops all timers; no more offers after this returns (on the source's thread). */
    @Override
    void close();

    /**
     * As {@link #close}, for a source that a new one of the same torrent replaces at once (a sleeping torrent
     * starting): nothing that tells the world we left (a tracker's "stopped" could reach it after the new
     * source's "started").
     */
    default void replaced() {
        close();
    }
}
