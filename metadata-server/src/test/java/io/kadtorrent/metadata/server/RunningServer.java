package io.kadtorrent.metadata.server;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.catalog.Catalog;
import io.kadtorrent.metadata.client.MetadataClient;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A metadata server on 127.0.0.1, ephemeral port, over a catalog folder; for tests. */
final class RunningServer implements AutoCloseable {

    static final List<HostAndPort> NODES = List.of(HostAndPort.fromParts("127.0.0.1", 6881),
            HostAndPort.fromParts("127.0.0.1", 6882));

    final Catalog catalog;
    final MetadataServer server;

    private RunningServer(Catalog catalog, MetadataServer server) {
        this.catalog = catalog;
        this.server = server;
    }

    /** Loopback, ephemeral port, a request rate no functional test reaches. */
    static MetadataServerConfig config() {
        return MetadataServerConfig.loopback().withRequestRate(100_000, 100_000);
    }

    static RunningServer start(Path dir, MetadataServerConfig config) throws Exception {
        return start(dir, config, BootstrapNodes.fixed(NODES));
    }

    static RunningServer start(Path dir, MetadataServerConfig config, BootstrapNodes nodes)
            throws Exception {
        Catalog catalog = Catalog.open(dir);
        return new RunningServer(catalog, MetadataServer.start(config, catalog, nodes));
    }

    InetSocketAddress address() {
        return server.localAddress();
    }

    HostAndPort hostAndPort() {
        return HostAndPort.fromParts(address().getHostString(), address().getPort());
    }

    MetadataClient client() throws Exception {
        return MetadataClient.connect(hostAndPort(), Duration.ofSeconds(5));
    }

    @Override
    public void close() {
        server.close();
    }
}
