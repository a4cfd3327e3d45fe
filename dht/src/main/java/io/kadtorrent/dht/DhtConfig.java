package io.kadtorrent.dht;

import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.routing.BucketCapacity;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Configuration of one DHT node (the public API the client and metadata server use).
 *
 * @param bindAddresses local addresses of the UDP sockets: one, or one IPv4 and one IPv6 for a node
 *                      in both DHTs (BEP 32); the node's id is chosen for the first
 * @param port          UDP port of every socket, 0 for an ephemeral one each
 * @param bootstrap     nodes to join through (each joins the DHT of its family)
 * @param stateFile     where the routing table is saved and restored, if anywhere
 * @param readOnly      BEP 43: answer no queries and send {@code ro=1}, so no other node keeps this one in
 *                      its routing table; for a node that lives for one command, never for a long-lived one
 * @param bucketCapacity how many nodes each routing-table bucket holds: {@link BucketCapacity#STANDARD} (BEP 5's
 *                      K = 8 everywhere) or {@link BucketCapacity#WIDE} (more in the buckets farthest from our id,
 *                      so a lookup's first hop lands closer; the default). A node with wide buckets also pings
 *                      the nodes lookup replies name while a bucket has room for them
 *                      ({@link io.kadtorrent.dht.engine.DhtEngine#fillBucketsFromReplies})
 */
public record DhtConfig(List<InetAddress> bindAddresses, int port, List<InetSocketAddress> bootstrap,
                        Optional<Path> stateFile, boolean readOnly, BucketCapacity bucketCapacity) {

    public DhtConfig {
        bindAddresses = List.copyOf(bindAddresses);
        bootstrap = List.copyOf(bootstrap);
        Objects.requireNonNull(bucketCapacity, "bucketCapacity");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535");
        }
        if (bindAddresses.isEmpty() || bindAddresses.size() > 2) {
            throw new IllegalArgumentException("bind one address, or one IPv4 and one IPv6 address");
        }
        if (bindAddresses.size() == 2
                && AddressFamily.of(bindAddresses.get(0)) == AddressFamily.of(bindAddresses.get(1))) {
            throw new IllegalArgumentException("two bind addresses must be one IPv4 and one IPv6: " + bindAddresses);
        }
    }

    /**
     * Loopback, ephemeral port, no bootstrap nodes, no state file, {@link BucketCapacity#WIDE} buckets (128 / 64 / 32 /
     * 16 in the four farthest from our id, then K): a node that queried us while such a bucket has room is pinged to
     * verify it, and a node named in a lookup reply that a bucket has room for is pinged too, both rate-limited, so
     * that the far buckets fill and a lookup's first hop lands closer (one hop fewer in the simulator).
     */
    public static DhtConfig defaults() {
        return new DhtConfig(List.of(InetAddress.getLoopbackAddress()), 0, List.of(), Optional.empty(), false,
                BucketCapacity.WIDE);
    }

    /** The first bind address (the node's id is chosen for it). */
    public InetAddress bindAddress() {
        return bindAddresses.get(0);
    }

    public DhtConfig withBindAddress(InetAddress address) {
        return new DhtConfig(List.of(address), port, bootstrap, stateFile, readOnly, bucketCapacity);
    }

    /** One address, or one of each family: a node in both the IPv4 and the IPv6 DHT (BEP 32). */
    public DhtConfig withBindAddresses(List<InetAddress> addresses) {
        return new DhtConfig(addresses, port, bootstrap, stateFile, readOnly, bucketCapacity);
    }

    public DhtConfig withPort(int newPort) {
        return new DhtConfig(bindAddresses, newPort, bootstrap, stateFile, readOnly, bucketCapacity);
    }

    public DhtConfig withBootstrap(List<InetSocketAddress> nodes) {
        return new DhtConfig(bindAddresses, port, nodes, stateFile, readOnly, bucketCapacity);
    }

    public DhtConfig withStateFile(Path file) {
        return new DhtConfig(bindAddresses, port, bootstrap, Optional.of(file), readOnly, bucketCapacity);
    }

    /** See {@link #bucketCapacity}. */
    public DhtConfig withBucketCapacity(BucketCapacity capacity) {
        return new DhtConfig(bindAddresses, port, bootstrap, stateFile, readOnly, capacity);
    }

    /** BEP 43 read-only, or not: see {@link #readOnly}. */
    public DhtConfig withReadOnly(boolean value) {
        return new DhtConfig(bindAddresses, port, bootstrap, stateFile, value, bucketCapacity);
    }
}
