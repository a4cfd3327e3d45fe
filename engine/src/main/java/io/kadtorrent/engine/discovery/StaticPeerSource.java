package io.kadtorrent.engine.discovery;

import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;

/** Peers the user named ({@code get --peer HOST:PORT}), offered once at start. */
public final class StaticPeerSource implements PeerSource {

    private final List<InetSocketAddress> peers;
    private final PeerSink sink;

    public StaticPeerSource(List<InetSocketAddress> peers, PeerSink sink) {
        this.peers = List.copyOf(new LinkedHashSet<>(peers));
        this.sink = sink;
    }

    @Override
    public void start() {
        peers.forEach(sink::offer);
    }

    @Override
    public void close() {
    }
}
