package io.kadtorrent.dht.krpc;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CompactNodeInfoTest {

    /** 20-byte id, then IPv4 and big-endian port (BEP 5 compact node info). */
    private static byte[] node(int idByte, int a, int b, int c, int d, int port) {
        byte[] out = new byte[26];
        java.util.Arrays.fill(out, 0, 20, (byte) idByte);
        out[20] = (byte) a;
        out[21] = (byte) b;
        out[22] = (byte) c;
        out[23] = (byte) d;
        out[24] = (byte) (port >>> 8);
        out[25] = (byte) port;
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void skipsContactsThatCannotBeQueried() {
        byte[] in = concat(
                node(1, 127, 0, 0, 1, 6881),       // kept
                node(2, 127, 0, 0, 1, 0),          // port 0
                node(3, 0, 0, 0, 0, 6881),         // wildcard
                node(4, 224, 0, 0, 1, 6881),       // multicast
                node(5, 255, 255, 255, 255, 6881), // broadcast
                node(6, 10, 1, 2, 3, 51413));      // kept
        List<InetSocketAddress> kept = CompactNodeInfo.decodeAll(in, AddressFamily.IPV4).stream().map(CompactNodeInfo::address).toList();
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 6881), new InetSocketAddress("10.1.2.3", 51413)), kept);
    }

    /** The check on an IPv4 entry's bytes agrees with {@link CompactNodeInfo#isContactable} on the decoded address. */
    @Test
    void bytesCheckAgreesWithTheAddressCheck() throws Exception {
        int[] firsts = {0, 1, 10, 127, 169, 192, 223, 224, 239, 240, 255};
        int[] others = {0, 1, 255};
        int[] ports = {0, 1, 6881, 65_535};
        for (int a : firsts) {
            for (int b : others) {
                for (int d : others) {
                    for (int port : ports) {
                        byte[] in = node(7, a, b, 0, d, port);
                        InetSocketAddress address = new InetSocketAddress(
                                java.net.InetAddress.getByAddress(new byte[]{(byte) a, (byte) b, 0, (byte) d}), port);
                        List<CompactNodeInfo> decoded = CompactNodeInfo.decodeAll(in, AddressFamily.IPV4);
                        assertEquals(CompactNodeInfo.isContactable(address) ? List.of(address) : List.of(),
                                decoded.stream().map(CompactNodeInfo::address).toList(), address.toString());
                    }
                }
            }
        }
    }
}
