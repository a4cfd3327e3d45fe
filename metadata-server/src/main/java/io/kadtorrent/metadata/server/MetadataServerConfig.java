package io.kadtorrent.metadata.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;

/**
 * Everything a {@link MetadataServer} needs besides its catalog and node source. Limits keep
 * one hostile client from hurting the others: frames are refused by their length prefix
 * before any allocation, a frame must arrive whole within {@code frameTimeout} (slowloris),
 * a connection with no traffic for {@code idleTimeout} is closed, connections are capped in
 * all and per address, and each address gets {@code requestsPerSecond} requests.
 *
 * @param bind                     TCP address to listen on (port 0 = ephemeral)
 * @param maxFrameBytes            largest request frame body accepted
 * @param idleTimeout              close a connection with no reads or writes for this long
 * @param frameTimeout             close a connection whose started frame is not complete after this long
 * @param maxConnections           open connections in all
 * @param maxConnectionsPerAddress open connections from one IP address
 * @param requestsPerSecond        sustained requests per second per IP address
 * @param requestBurst             requests an address may make at once before the rate applies
 * @param maxTrackedAddresses      rate limiters kept (least recently used dropped first)
 * @param publishPolicy            whose publishes are accepted
 */
public record MetadataServerConfig(InetSocketAddress bind, int maxFrameBytes, Duration idleTimeout,
                                   Duration frameTimeout, int maxConnections, int maxConnectionsPerAddress,
                                   double requestsPerSecond, int requestBurst, int maxTrackedAddresses, PublishPolicy publishPolicy) {

    public static final int DEFAULT_PORT = 6880;

    public MetadataServerConfig {
        require(maxFrameBytes >= 1024, "maxFrameBytes must be >= 1024");
        require(!idleTimeout.isNegative() && !idleTimeout.isZero(), "idleTimeout must be positive");
        require(!frameTimeout.isNegative() && !frameTimeout.isZero(), "frameTimeout must be positive");
        require(maxConnections >= 1 && maxConnectionsPerAddress >= 1, "connection caps must be >= 1");
        require(requestsPerSecond > 0, "requestsPerSecond must be positive");
        require(requestBurst >= 1, "requestBurst must be >= 1");
        require(maxTrackedAddresses >= 1, "maxTrackedAddresses must be >= 1");
    }

    /**
     * All interfaces on port 6880; 8 MiB frames (a torrent of several TiB); 60 s idle; 10 s per
     * frame; 1,024 connections, 64 per address; 100 requests/s per address after a burst of 200; allow-list publishing
     * with no keys.
     */
    public static MetadataServerConfig defaults() {
        return new MetadataServerConfig(new InetSocketAddress(DEFAULT_PORT), 8 << 20, Duration.ofSeconds(60),
                Duration.ofSeconds(10), 1024, 64, 100, 200, 10_000, PublishPolicy.allowing(Set.of()));
    }

    /** Loopback, ephemeral port, otherwise {@link #defaults()}: what tests start from. */
    public static MetadataServerConfig loopback() {
        return defaults().withBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    public MetadataServerConfig withBind(InetSocketAddress address) {
        return new MetadataServerConfig(address, maxFrameBytes, idleTimeout, frameTimeout, maxConnections,
                maxConnectionsPerAddress, requestsPerSecond, requestBurst, maxTrackedAddresses, publishPolicy);
    }

    public MetadataServerConfig withMaxFrameBytes(int bytes) {
        return new MetadataServerConfig(bind, bytes, idleTimeout, frameTimeout, maxConnections,
                maxConnectionsPerAddress, requestsPerSecond, requestBurst, maxTrackedAddresses, publishPolicy);
    }

    public MetadataServerConfig withTimeouts(Duration idle, Duration frame) {
        return new MetadataServerConfig(bind, maxFrameBytes, idle, frame, maxConnections,
                maxConnectionsPerAddress, requestsPerSecond, requestBurst, maxTrackedAddresses, publishPolicy);
    }

    public MetadataServerConfig withConnectionCaps(int total, int perAddress) {
        return new MetadataServerConfig(bind, maxFrameBytes, idleTimeout, frameTimeout, total,
                perAddress, requestsPerSecond, requestBurst, maxTrackedAddresses, publishPolicy);
    }

    public MetadataServerConfig withRequestRate(double perAddress, int burst) {
        return new MetadataServerConfig(bind, maxFrameBytes, idleTimeout, frameTimeout, maxConnections,
                maxConnectionsPerAddress, perAddress, burst, maxTrackedAddresses, publishPolicy);
    }

    public MetadataServerConfig withPublishPolicy(PublishPolicy policy) {
        return new MetadataServerConfig(bind, maxFrameBytes, idleTimeout, frameTimeout, maxConnections,
                maxConnectionsPerAddress, requestsPerSecond, requestBurst, maxTrackedAddresses, policy);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
