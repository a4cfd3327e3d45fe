package io.kadtorrent.dht;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of one DHT node (the public API the client and metadata server use).
 *
 * @param bindAddress  local address of the UDP socket
 * @param port         UDP port, 0 for an ephemeral one
 * @param bootstrap    nodes to join through
 * @param stateFile    where the routing table is saved and restored, if anywhere
 */
public record DhtConfig(InetAddress bindAddress, int port, List<InetSocketAddress> bootstrap,
                        Optional<Path> stateFile) {

    public DhtConfig {
        bootstrap = List.copyOf(bootstrap);
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
    }

    /** Loopback, ephemeral port, no bootstrap nodes, no state file. */
    public static DhtConfig defaults() {
        return new DhtConfig(InetAddress.getLoopbackAddress(), 0, List.of(), Optional.empty());
    }

    public DhtConfig withBindAddress(InetAddress address) {
        return new DhtConfig(address, port, bootstrap, stateFile);
    }

    public DhtConfig withPort(int newPort) {
        return new DhtConfig(bindAddress, newPort, bootstrap, stateFile);
    }

    public DhtConfig withBootstrap(List<InetSocketAddress> nodes) {
        return new DhtConfig(bindAddress, port, nodes, stateFile);
    }

    public DhtConfig withStateFile(Path file) {
        return new DhtConfig(bindAddress, port, bootstrap, Optional.of(file));
    }
}
