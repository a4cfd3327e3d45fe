package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One BEP 5 "compact node info": the node id followed by its compact IPv4 address, 26 bytes.
 * <pre>
 * +--------------------+------------+---------+
 * | node id (20 bytes) | IPv4 (4)   | port BE |
 * +--------------------+------------+---------+
 * </pre>
 */
public record CompactNodeInfo(NodeId id, InetSocketAddress address) {

    public static final int LENGTH = NodeId.LENGTH + CompactPeer.LENGTH;

    /** Concatenates the IPv4 entries of {@code nodes}; others are skipped (they need BEP 32 nodes6). */
    public static byte[] encodeAll(List<CompactNodeInfo> nodes) {
        List<CompactNodeInfo> v4 = nodes.stream().filter(n -> CompactPeer.isEncodable(n.address)).toList();
        byte[] out = new byte[v4.size() * LENGTH];
        for (int i = 0; i < v4.size(); i++) {
            v4.get(i).id.copyTo(out, i * LENGTH);
            CompactPeer.write(v4.get(i).address, out, i * LENGTH + NodeId.LENGTH);
        }
        return out;
    }

    /** Splits a {@code nodes} string; its length must be a multiple of 26. */
    public static List<CompactNodeInfo> decodeAll(byte[] in) {
        if (in.length % LENGTH != 0) {
            throw new IllegalArgumentException("compact node info length " + in.length + " is not a multiple of 26");
        }
        List<CompactNodeInfo> out = new ArrayList<>(in.length / LENGTH);
        for (int off = 0; off < in.length; off += LENGTH) {
            InetSocketAddress address = CompactPeer.read(in, off + NodeId.LENGTH);
            if (isContactable(address)) {
                out.add(new CompactNodeInfo(NodeId.of(in, off), address));
            }
        }
        return out;
    }

    /** Port 0, wildcard, multicast and reserved/broadcast (240/4) addresses cannot be queried: skipped. */
    static boolean isContactable(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        return address.getPort() != 0 && !ip.isAnyLocalAddress() && !ip.isMulticastAddress()
                && (ip.getAddress()[0] & 0xff) < 240;
    }
}
