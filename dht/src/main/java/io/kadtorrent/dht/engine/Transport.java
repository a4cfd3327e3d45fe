package io.kadtorrent.dht.engine;

import java.net.InetSocketAddress;

/**
 * Where the engine's datagrams go: a Netty UDP channel in production, the simulated network in
 * tests. Must not block; may drop (UDP).
 */
public interface Transport {

    /** Sends one datagram; the engine does not touch {@code datagram} afterwards. */
    void send(InetSocketAddress to, byte[] datagram);
}
