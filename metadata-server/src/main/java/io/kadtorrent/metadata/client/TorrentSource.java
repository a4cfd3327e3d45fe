package io.kadtorrent.metadata.client;

import com.google.common.net.HostAndPort;
import io.kadtorrent.metadata.server.MetadataServerConfig;
import io.kadtorrent.metadata.signing.PublisherKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
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
            throw withServer(server, e);
        }
    }

    /**
     * Fetches and verifies, and says who signed it ({@link FetchedTorrent#publisher()},
     * {@link FetchedTorrent#trust()}).
     * <ul>
     *   <li>With {@code trusted} (today's {@code --trust}): the publisher must be that key; by name,
     *       the server is asked for that key's torrent. {@code known} is not read or written.</li>
     *   <li>By info_hash without {@code trusted}: the hash pins the content; the signature is
     *       verified and reported, not compared ({@link FetchedTorrent.Trust#NOT_CHECKED}).</li>
     *   <li>By name without {@code trusted}: trust on first use through {@code known}. The first
     *       fetch of a name from a server remembers its key ({@code FIRST_USE}); later ones ask for
     *       that key's torrent ({@code KNOWN_PUBLISHER}) and throw {@link PublisherChangedException}
     *       when only another key's is served, unless {@code acceptNewKey}, which fetches whatever the
     *       name serves and remembers its key ({@code NEW_KEY_ACCEPTED}, or {@code KNOWN_PUBLISHER}
     *       when it did not change). An unreadable or unwritable {@code known} file is logged, not fatal.</li>
     * </ul>
     *
     * @throws PublisherChangedException the name is now signed by another key than the remembered one
     * @throws MetadataClientException   the server could not be reached or answered an error (404 with
     *                                   {@link MetadataClientException#suggestions()}, 409 listing the
     *                                   publishers of an ambiguous name), or the torrent failed verification
     */
    public static FetchedTorrent fetch(String nameOrInfoHash, HostAndPort server, Optional<PublisherKey> trusted,
                                       KnownPublishers known, boolean acceptNewKey) throws IOException {
        HostAndPort hostPort = server.withDefaultPort(MetadataServerConfig.DEFAULT_PORT);
        MetadataClient client = MetadataClient.connect(hostPort, DEFAULT_TIMEOUT); // its message names the server
        try (client) {
            if (trusted.isPresent() || InfoHash.looksLikeInfoHash(nameOrInfoHash)) {
                return client.fetch(nameOrInfoHash, trusted, trusted);
            }
            return new FirstUseTrust(known).fetch(client, hostPort, nameOrInfoHash, acceptNewKey);
        } catch (MetadataClientException e) {
            throw withServer(server, e);
        }
    }

    private static MetadataClientException withServer(HostAndPort server, MetadataClientException e) {
        return new MetadataClientException("metadata server " + server + ": " + e.getMessage(),
                e.code().orElse(null), e, e.suggestions());
    }
}
