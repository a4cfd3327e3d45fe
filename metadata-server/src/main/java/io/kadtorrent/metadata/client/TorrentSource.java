package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.Metainfo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What {@code kadtorrent get NAME|INFOHASH --server HOST:PORT [--trust KEYFILE.pub]} calls:
 * one connection, one verified fetch. Every failure is an {@link IOException} whose message is
 * fit for the user ("cannot reach metadata server ...", "no torrent named ...", "untrusted torrent ...").
 */
public final class TorrentSource {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private TorrentSource() {
    }

    /** As {@link #fetch(String, HostAndPort, Optional)}, for a {@code --server} already resolved by the CLI. */
    public static Metainfo fetch(String nameOrInfoHash, InetSocketAddress server, Optional<Path> trustFile)
            throws IOException {
        return fetch(nameOrInfoHash, HostAndPort.fromParts(server.getHostString(), server.getPort()), trustFile);
    }

    /** Fetches and verifies; {@code trustFile} is a {@code .pub} key file the publisher must match. */
    public static Metainfo fetch(String nameOrInfoHash, HostAndPort server, Optional<Path> trustFile)
            throws IOException {
        Optional<PublisherKey> trusted = trustFile.isPresent()
                ? Optional.of(PublisherKey.read(trustFile.get())) : Optional.empty();
        MetadataClient client = MetadataClient.connect(server.withDefaultPort(MetadataServerConfig.DEFAULT_PORT), DEFAULT_TIMEOUT);
        try (client) {
            return client.fetch(nameOrInfoHash, trusted).metainfo();
        } catch (MetadataClientException e) {
            throw new MetadataClientException("metadata server " + server + ": " + e.getMessage(),
                    e.code().orElse(null), e);
        }
    }
}
