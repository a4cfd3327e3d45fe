package io.kadtorrent.engine.wire;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Compact peers, as trackers (BEP 23, BEP 7) and peer exchange (BEP 11) send them: 6 bytes (IPv4 + port) or
 * 18 bytes (IPv6 + port) each, big-endian.
 */
public final class CompactPeers {

    private CompactPeers() {
    }

    /**
     * Reads at most {@code max} peers; port 0 entries are skipped.
     *
     * @throws IllegalArgumentException when the length is not a multiple of the entry size
     */
    public static List<InetSocketAddress> decode(byte[] bytes, int offset, int length, int addressBytes, int max) {
        int entry = addressBytes + 2;
        if (length % entry != 0) {
            throw new IllegalArgumentException("compact peers are " + length + " bytes, not a multiple of " + entry);
        }
        List<InetSocketAddress> out = new ArrayList<>(Math.min(max, length / entry));
        for (int at = offset; at < offset + length && out.size() < max; at += entry) {
            byte[] ip = java.util.Arrays.copyOfRange(bytes, at, at + addressBytes);
            int port = ((bytes[at + addressBytes] & 0xFF) << 8) | (bytes[at + addressBytes + 1] & 0xFF);
            if (port == 0) {
                continue;
            }
            try {
                out.add(new InetSocketAddress(InetAddress.getByAddress(ip), port));
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("bad peer address", e); // only for a wrong length
            }
        }
        return out;
    }

    /** The peers of {@code peers} whose address has {@code addressBytes} bytes (4 or 16), in compact form. */
    public static byte[] encode(List<InetSocketAddress> peers, int addressBytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (InetSocketAddress p : peers) {
            byte[] ip = p.getAddress().getAddress();
            if (ip.length == addressBytes) {
                out.writeBytes(ip);
                out.write(p.getPort() >> 8);
                out.write(p.getPort());
            }
        }
        return out.toByteArray();
    }
}
