package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.CompactNodeInfo;

import java.net.InetSocketAddress;

/** A DHT node as we know it: its id and the UDP address it answers on. */
public record Contact(NodeId id, InetSocketAddress address) {

    public static Contact of(CompactNodeInfo info) {
        return new Contact(info.id(), info.address());
    }

    public CompactNodeInfo toCompact() {
        return new CompactNodeInfo(id, address);
    }

    @Override
    public String toString() {
        return id.shortHex() + "@" + address.getAddress().getHostAddress() + ":" + address.getPort();
    }
}
