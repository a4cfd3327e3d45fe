package io.kadtorrent.engine.tracker;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** BEP 23 compact peers: 6 bytes (IPv4 + port) or 18 bytes (IPv6 + port, BEP 7) each, big-endian. */
final class CompactPeers {

    private CompactPeers() {
    }

    /** Reads at most {@code max} peers; port 0 entries are skipped; a ragged tail is an error. */
    static List<InetSocketAddress> decode(byte[] bytes, int offset, int length, int addressBytes, int max)
            throws TrackerException {
        int entry = addressBytes + 2;
        if (length % entry != 0) {
            throw new TrackerException("compact peers are " + length + " bytes, not a multiple of " + entry);
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
                throw new TrackerException("bad peer address", e); // only for a wrong length, checked above
            }
        }
        return out;
    }

    static byte[] encode(List<InetSocketAddress> peers, int addressBytes) {
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
