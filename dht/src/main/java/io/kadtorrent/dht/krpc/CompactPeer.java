package io.kadtorrent.dht.krpc;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * BEP 5 "compact IP-address/port info" and its BEP 32 IPv6 form: the address then the port.
 * <pre>
 * +--------------------------------+---------+
 * | IPv4 (4 bytes) or IPv6 (16)    | port BE |    6 or 18 bytes
 * +--------------------------------+---------+
 * </pre>
 */
public final class CompactPeer {

    /** The IPv4 form (BEP 5). */
    public static final int LENGTH = 6;
    /** The IPv6 form (BEP 32). */
    public static final int LENGTH_V6 = 18;

    private CompactPeer() {
    }

    /** A resolved address of either family can be written; an unresolved name cannot. */
    public static boolean isEncodable(InetSocketAddress address) {
        return !address.isUnresolved();
    }

    /** Writes the address and port at {@code offset}: 6 or 18 bytes, by family. */
    public static void write(InetSocketAddress address, byte[] out, int offset) {
        byte[] ip = address.getAddress().getAddress();
        System.arraycopy(ip, 0, out, offset, ip.length);
        out[offset + ip.length] = (byte) (address.getPort() >>> 8);
        out[offset + ip.length + 1] = (byte) address.getPort();
    }

    public static byte[] encode(InetSocketAddress address) {
        byte[] out = new byte[AddressFamily.of(address.getAddress()).compactPeerLength()];
        write(address, out, 0);
        return out;
    }

    /**
     * Reads one compact peer of {@code family} at {@code offset}; never resolves names. An IPv6
     * entry holding an IPv4-mapped address ({@code ::ffff:a.b.c.d}) is refused: Java would turn it
     * into an IPv4 address, a node of the other DHT.
     */
    public static Optional<InetSocketAddress> read(byte[] in, int offset, AddressFamily family) {
        try {
            InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(in, offset, offset + family.addressBytes()));
            if (AddressFamily.of(ip) != family) {
                return Optional.empty();
            }
            int at = offset + family.addressBytes();
            int port = ((in[at] & 0xff) << 8) | (in[at + 1] & 0xff);
            return Optional.of(new InetSocketAddress(ip, port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always a valid address", e);
        }
    }

    /** Reads 6 bytes of IPv4 at {@code offset}. */
    public static InetSocketAddress read(byte[] in, int offset) {
        try {
            InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(in, offset, offset + 4));
            return new InetSocketAddress(ip, ((in[offset + 4] & 0xff) << 8) | (in[offset + 5] & 0xff));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always a valid address", e);
        }
    }

    /** One {@code values} entry: 6 bytes (IPv4) or 18 (IPv6); any other length is not a peer. */
    public static Optional<InetSocketAddress> decode(byte[] entry) {
        return switch (entry.length) {
            case LENGTH -> read(entry, 0, AddressFamily.IPV4);
            case LENGTH_V6 -> read(entry, 0, AddressFamily.IPV6);
            default -> Optional.empty();
        };
    }
}
