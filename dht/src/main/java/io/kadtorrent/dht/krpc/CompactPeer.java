package io.kadtorrent.dht.krpc;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * BEP 5 "compact IP-address/port info": 6 bytes per IPv4 peer.
 * <pre>
 * +----+----+----+----+----+----+
 * |  IPv4 address     | port BE |
 * +----+----+----+----+----+----+
 * </pre>
 */
public final class CompactPeer {

    public static final int LENGTH = 6;

    private CompactPeer() {
    }

    public static boolean isEncodable(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address;
    }

    /** Writes an IPv4 address and port; callers check {@link #isEncodable} first. */
    public static void write(InetSocketAddress address, byte[] out, int offset) {
        byte[] ip = address.getAddress().getAddress();
        if (ip.length != 4) {
            throw new IllegalArgumentException("compact peers are IPv4 only: " + address);
        }
        System.arraycopy(ip, 0, out, offset, 4);
        out[offset + 4] = (byte) (address.getPort() >>> 8);
        out[offset + 5] = (byte) address.getPort();
    }

    public static byte[] encode(InetSocketAddress address) {
        byte[] out = new byte[LENGTH];
        write(address, out, 0);
        return out;
    }

    /** Reads 6 bytes at {@code offset}; never resolves names. */
    public static InetSocketAddress read(byte[] in, int offset) {
        try {
            InetAddress ip = InetAddress.getByAddress(Arrays.copyOfRange(in, offset, offset + 4));
            int port = ((in[offset + 4] & 0xff) << 8) | (in[offset + 5] & 0xff);
            return new InetSocketAddress(ip, port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are always a valid IPv4 address", e);
        }
    }
}
