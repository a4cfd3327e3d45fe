package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where the server gets the DHT nodes it writes into every served torrent's {@code nodes}
 * (BEP 5 trackerless bootstrap list). The seam between the metadata server and the DHT: in
 * production {@link DhtBootstrapNodes}, in tests a fixed list.
 */
@FunctionalInterface
public interface BootstrapNodes {

    /**
     * The nodes to hand to a client that reached this server at {@code serverAddress} (the
     * local end of its TCP connection: the address the client can reach us on). Called per
     * request on an event loop: must be fast and must not block.
     */
    List<HostAndPort> nodesFor(InetAddress serverAddress);

    static BootstrapNodes fixed(List<HostAndPort> nodes) {
        List<HostAndPort> copy = List.copyOf(nodes);
        return address -> copy;
    }

    static BootstrapNodes from(Supplier<List<HostAndPort>> nodes) {
        return address -> nodes.get();
    }
}
