package io.kadtorrent.client.cli;

import io.kadtorrent.dht.DhtConfig;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The DHT flags shared by {@code seed} and {@code get}; maps onto a {@link DhtConfig}. */
final class DhtOptions {

    /** Between get_peers lookups while a torrent needs peers (BEP 5 leaves it to the client). */
    static final Duration LOOKUP_INTERVAL = Duration.ofSeconds(30);

    @Option(names = "--dht-port", paramLabel = "U", converter = PortConverter.class,
            description = "UDP port of the DHT node (0 = any free port; default: the same number as --port).")
    Integer dhtPort; // null: the TCP port's number

    @Option(names = "--dht-bind", paramLabel = "ADDR",
            description = "Local address of the DHT node (repeatable: one IPv4 and one IPv6 address join both DHTs, BEP 32;"
                    + " :: alone joins both; default: the --bind address).")
    List<InetAddress> dhtBind = new ArrayList<>();

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
            description = "A DHT node to join through, besides the torrent's own nodes (repeatable).")
    List<InetSocketAddress> bootstrap = new ArrayList<>();

    /**
     * The DHT node's settings: bound to {@code --dht-bind}, or like the TCP listener; on {@code --dht-port}
     * or else {@code tcpPort}.
     */
    DhtConfig toConfig(String bindHost, int tcpPort) throws UnknownHostException {
        return DhtConfig.defaults()
                .withBindAddresses(dhtBind.isEmpty() ? List.of(InetAddress.getByName(bindHost)) : dhtBind)
                .withPort(dhtPort != null ? dhtPort : tcpPort)
                .withBootstrap(bootstrap);
    }

    /**
     * {@link #toConfig} for a node that lives for one command: BEP 43 read-only, so the nodes it queried do
     * not keep it in their tables and make later lookups wait on its timeouts once it is gone.
     */
    DhtConfig toOneShotConfig(String bindHost, int tcpPort) throws UnknownHostException {
        return toConfig(bindHost, tcpPort).withReadOnly(true);
    }
}
