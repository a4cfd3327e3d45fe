package io.kadtorrent.dht.id;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecureNodeIdTest {

    @Test
    void acceptsBep42TestVectors() throws Exception {
        String[][] vectors = { // BEP 42: IP, example node id
                {"124.31.75.21", "5fbfbff10c5d6a4ec8a88e4c6ab4c28b95eee401"},
                {"21.75.31.124", "5a3ce9c14e7a08645677bbd1cfe7d8f956d53256"},
                {"65.23.51.170", "a5d43220bc8f112a3d426c84764f8c2a1150e616"},
                {"84.124.73.14", "1b0321dd1bb1fe518101ceef99462b947a01ff41"},
                {"43.213.53.83", "e56f6cbf5b7c4be0237986d5243b87aa6d51305a"}};
        for (String[] v : vectors) {
            InetAddress ip = InetAddress.getByName(v[0]);
            NodeId id = NodeId.parse(v[1]);
            assertTrue(SecureNodeId.isValid(id, ip), v[0]);
            assertFalse(SecureNodeId.isValid(id.withBitFlipped(3), ip), v[0] + " with a prefix bit flipped");
            assertFalse(SecureNodeId.isValid(id, InetAddress.getByName("198.51.100.1")), v[0] + " id at another IP");
        }
    }

    @Test
    void derivedIdsAreValidForTheirAddressOnly() throws Exception {
        SplittableRandom random = new SplittableRandom(2);
        InetAddress ip = InetAddress.getByName("203.0.113.77");
        for (int i = 0; i < 100; i++) {
            NodeId id = SecureNodeId.derive(ip, random);
            assertTrue(SecureNodeId.isValid(id, ip));
        }
        InetAddress v6 = InetAddress.getByName("2001:db8::1");
        assertTrue(SecureNodeId.isValid(SecureNodeId.derive(v6, random), v6));
    }

    @Test
    void localAddressesAreExempt() throws Exception {
        NodeId any = NodeId.random(new SplittableRandom(3));
        for (String local : new String[]{"127.0.0.1", "10.1.2.3", "172.16.5.4", "192.168.0.9", "169.254.3.3"}) {
            assertTrue(SecureNodeId.isValid(any, InetAddress.getByName(local)), local);
        }
        assertFalse(SecureNodeId.isExempt(InetAddress.getByName("172.32.0.1")));
    }
}
