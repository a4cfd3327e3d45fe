package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * The two DHTs of BEP 32: IPv4 and IPv6 are separate networks, each with its own routing table,
 * compact formats and {@code want} name.
 */
public enum AddressFamily {
    IPV4("n4", "nodes", 4),
    IPV6("n6", "nodes6", 16);

    private final String wantName;
    private final String nodesKey;
    private final int addressBytes;

    AddressFamily(String wantName, String nodesKey, int addressBytes) {
        this.wantName = wantName;
        this.nodesKey = nodesKey;
        this.addressBytes = addressBytes;
    }

    public static AddressFamily of(InetAddress ip) {
        return ip instanceof Inet4Address ? IPV4 : IPV6;
    }

    /** BEP 32: {@code n4} or {@code n6}; anything else is not a family we know. */
    public static Optional<AddressFamily> fromWant(String name) {
        for (AddressFamily f : values()) {
            if (f.wantName.equals(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }

    /** The value that asks for this family in a query's {@code want} list (BEP 32). */
    public String wantName() {
        return wantName;
    }

    /** The reply key that carries this family's compact node infos: {@code nodes} or {@code nodes6}. */
    public String nodesKey() {
        return nodesKey;
    }

    public int addressBytes() {
        return addressBytes;
    }

    /** Compact peer info: the address and a big-endian port (6 bytes for IPv4, 18 for IPv6). */
    public int compactPeerLength() {
        return addressBytes + 2;
    }

    /** Compact node info: the id then the compact peer info (26 bytes for IPv4, 38 for IPv6). */
    public int compactNodeLength() {
        return NodeId.LENGTH + compactPeerLength();
    }

    /** The other family. */
    public AddressFamily other() {
        return this == IPV4 ? IPV6 : IPV4;
    }
}
