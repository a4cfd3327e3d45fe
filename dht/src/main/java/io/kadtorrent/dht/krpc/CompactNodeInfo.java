package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One "compact node info": the node id followed by its compact address; 26 bytes for IPv4 in
 * {@code nodes} (BEP 5), 38 bytes for IPv6 in {@code nodes6} (BEP 32).
 * <pre>
 * +--------------------+------------------------+---------+
 * | node id (20 bytes) | IPv4 (4) or IPv6 (16)  | port BE |
 * +--------------------+------------------------+---------+
 * </pre>
 */
public record CompactNodeInfo(NodeId id, InetSocketAddress address) {

    /** IPv4, BEP 5. */
    public static final int LENGTH = NodeId.LENGTH + CompactPeer.LENGTH;
    /** IPv6, BEP 32. */
    public static final int LENGTH_V6 = NodeId.LENGTH + CompactPeer.LENGTH_V6;

    public AddressFamily family() {
        return AddressFamily.of(address.getAddress());
    }

    /** Concatenates the entries of {@code nodes} that are of {@code family}; the others are skipped. */
    public static byte[] encodeAll(List<CompactNodeInfo> nodes, AddressFamily family) {
        List<CompactNodeInfo> kept = nodes.stream()
                .filter(n -> !n.address.isUnresolved() && n.family() == family).toList();
        int length = family.compactNodeLength();
        byte[] out = new byte[kept.size() * length];
        for (int i = 0; i < kept.size(); i++) {
            kept.get(i).id.copyTo(out, i * length);
            CompactPeer.write(kept.get(i).address, out, i * length + NodeId.LENGTH);
        }
        return out;
    }

    /**
     * Splits a {@code nodes} ({@code family} IPv4) or {@code nodes6} (IPv6) string; its length must
     * be a multiple of 26 or 38. Entries that cannot be queried are skipped.
     */
    public static List<CompactNodeInfo> decodeAll(byte[] in, AddressFamily family) {
        return decodeAll(in, 0, in.length, family, KnownNodes.NONE);
    }

    /**
     * Like {@link #decodeAll(byte[], AddressFamily)} over {@code in[from..to)}, read in place. An IPv4 entry is
     * checked on its bytes, so one that cannot be queried costs no address object; one that {@code known} shares
     * costs no object at all.
     */
    static List<CompactNodeInfo> decodeAll(byte[] in, int from, int to, AddressFamily family, KnownNodes known) {
        int length = family.compactNodeLength();
        if ((to - from) % length != 0) {
            throw new IllegalArgumentException("compact node info length " + (to - from) + " is not a multiple of " + length);
        }
        CompactNodeInfo[] out = new CompactNodeInfo[(to - from) / length];
        int count = 0;
        for (int off = from; off < to; off += length) {
            int at = off + NodeId.LENGTH;
            InetSocketAddress address;
            if (family == AddressFamily.IPV4) {
                if (!isContactableV4(in, at)) {
                    continue;
                }
                CompactNodeInfo shared = known.find(in, off);
                if (shared != null) {
                    out[count++] = shared;
                    continue;
                }
                address = CompactPeer.read(in, at);
            } else {
                Optional<InetSocketAddress> read = CompactPeer.read(in, at, family);
                if (read.isEmpty() || !isContactable(read.get())) {
                    continue;
                }
                address = read.get();
            }
            out[count++] = new CompactNodeInfo(NodeId.of(in, off), address);
        }
        return new DecodedNodes(out, count);
    }

    /** {@link #isContactable} on the 6 bytes of a compact IPv4 address: port 0, 0.0.0.0 and 224/3 are not. */
    private static boolean isContactableV4(byte[] in, int at) {
        boolean anyLocal = (in[at] | in[at + 1] | in[at + 2] | in[at + 3]) == 0;
        boolean port0 = (in[at + 4] | in[at + 5]) == 0;
        return !anyLocal && !port0 && (in[at] & 0xff) < 224; // 224/4 multicast, 240/4 reserved
    }

    /**
     * Port 0, wildcard and multicast addresses cannot be queried, nor IPv4's reserved/broadcast
     * 240/4: skipped.
     */
    static boolean isContactable(InetSocketAddress address) {
        InetAddress ip = address.getAddress();
        boolean reservedV4 = ip instanceof Inet4Address && (ip.getAddress()[0] & 0xff) >= 240;
        return address.getPort() != 0 && !ip.isAnyLocalAddress() && !ip.isMulticastAddress() && !reservedV4;
    }
}
