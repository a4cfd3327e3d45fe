package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.id.SecureNodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.CompactNodeInfo;

import java.net.InetSocketAddress;

/** A DHT node as we know it: its id and the UDP address it answers on. */
public record Contact(NodeId id, InetSocketAddress address) {

    public static Contact of(CompactNodeInfo info) {
        return new Contact(info.id(), info.address());
    }

    /** True when the id is valid for the IP under BEP 42 (always, for local addresses). */
    public boolean hasSecureId() {
        return SecureNodeId.isValid(id, address.getAddress());
    }

    public AddressFamily family() {
        return AddressFamily.of(address.getAddress());
    }

    public CompactNodeInfo toCompact() {
        return new CompactNodeInfo(id, address);
    }

    @Override
    public String toString() {
        return id.shortHex() + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
