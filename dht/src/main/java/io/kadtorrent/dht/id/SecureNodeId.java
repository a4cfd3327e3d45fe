package io.kadtorrent.dht.id;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32C;

/**
 * BEP 42 node ids: the first 21 bits of an id must equal those of CRC32C over the node's masked
 * external IP with a 3-bit {@code r}, and {@code r} is the low 3 bits of the id's last byte. That ties
 * how many ids one can pick near a target to how many IP addresses one controls. Nodes on loopback,
 * private and link-local addresses are exempt (BEP 42), which keeps local networks and tests working.
 */
public final class SecureNodeId {

    private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};                  // BEP 42
    private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff}; // BEP 42
    private static final int CHECKED_BITS = 21; // BEP 42: the first 21 bits must match

    private SecureNodeId() {
    }

    /** BEP 42: 10/8, 172.16/12, 192.168/16, 169.254/16 and 127/8 are exempt (and, for IPv6, loopback and link-local). */
    public static boolean isExempt(InetAddress ip) {
        return ip.isLoopbackAddress() || ip.isSiteLocalAddress() || ip.isLinkLocalAddress() || ip.isAnyLocalAddress();
    }

    /** A random id valid for {@code ip} under BEP 42. */
    public static NodeId derive(InetAddress ip, RandomGenerator random) {
        int rand = random.nextInt(256);
        byte[] id = new byte[NodeId.LENGTH];
        random.nextBytes(id);
        int crc = prefixCrc(ip, rand & 7);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) (((crc >>> 8) & 0xf8) | (id[2] & 0x07));
        id[19] = (byte) rand;
        return NodeId.of(id);
    }

    /** True when {@code id} is valid for a node at {@code ip} under BEP 42, or {@code ip} is exempt. */
    public static boolean isValid(NodeId id, InetAddress ip) {
        if (isExempt(ip)) {
            return true;
        }
        byte[] b = id.bytes();
        int crc = prefixCrc(ip, b[19] & 7);
        int idPrefix = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8);
        int mask = -1 << (32 - CHECKED_BITS);
        return (idPrefix & mask) == (crc & mask);
    }

    /** CRC32C of the masked address (4 bytes for IPv4, the high 8 for IPv6) with {@code r} in its top bits. */
    private static int prefixCrc(InetAddress ip, int r) {
        byte[] address = ip.getAddress();
        byte[] mask = ip instanceof Inet4Address ? V4_MASK : V6_MASK;
        byte[] masked = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            masked[i] = (byte) (address[i] & mask[i]);
        }
        masked[0] |= (byte) (r << 5);
        CRC32C crc = new CRC32C();
        crc.update(masked, 0, masked.length);
        return (int) crc.getValue();
    }
}
