package io.kadtorrent.dht.lookup;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.routing.Contact;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyNodesTest {

    private final SplittableRandom random = new SplittableRandom(9);
    private final NodeId own = NodeId.random(random);
    private final NodeId target = NodeId.random(random);
    private final Contact source = new Contact(NodeId.random(random), new InetSocketAddress("203.0.113.5", 6881));
    private int port = 1;

    private Contact at(String ip) {
        return new Contact(NodeId.random(random), new InetSocketAddress(ip, port++));
    }

    @Test
    void keepsAtMostKNodesClosestToTheTarget() {
        List<Contact> many = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            many.add(at("198.51.100." + (i % 250)));
        }
        List<Contact> kept = ReplyNodes.sanitise(many, source, own, target);
        assertEquals(Lookup.K, kept.size());
        List<Contact> sorted = new ArrayList<>(many);
        sorted.sort((a, b) -> target.compareDistance(a.id(), b.id()));
        assertEquals(sorted.subList(0, Lookup.K), kept);
    }

    @Test
    void dropsOurIdTheSenderItselfAndBothSidesOfEveryDuplicate() {
        Contact honest = at("198.51.100.1");
        Contact twin = at("198.51.100.2");
        Contact sameIdElsewhere = new Contact(twin.id(), new InetSocketAddress("198.51.100.3", 9));
        Contact shared = at("198.51.100.4");
        Contact sameAddressOtherId = new Contact(NodeId.random(random), shared.address());
        List<Contact> kept = ReplyNodes.sanitise(List.of(honest, twin, sameIdElsewhere, shared, sameAddressOtherId,
                new Contact(own, new InetSocketAddress("198.51.100.5", 1)), new Contact(source.id(), source.address()),
                new Contact(NodeId.random(random), source.address())), source, own, target);
        assertEquals(List.of(honest), kept);
    }

    @Test
    void dropsAddressesOfNarrowerScopeThanTheSender() {
        List<Contact> kept = ReplyNodes.sanitise(List.of(at("127.0.0.1"), at("10.1.2.3"), at("192.168.1.1"),
                at("169.254.1.1"), at("198.51.100.7")), source, own, target);
        assertEquals(1, kept.size());
        assertEquals("198.51.100.7", kept.get(0).address().getAddress().getHostAddress());
        Contact lanSource = new Contact(source.id(), new InetSocketAddress("192.168.1.9", 6881));
        assertEquals(3, ReplyNodes.sanitise(List.of(at("127.0.0.1"), at("10.1.2.3"), at("192.168.1.1"),
                at("198.51.100.7")), lanSource, own, target).size(), "a LAN node may name LAN and public nodes");
        Contact loopbackSource = new Contact(source.id(), new InetSocketAddress("127.0.0.1", 6881));
        assertTrue(ReplyNodes.sanitise(List.of(at("127.0.0.2")), loopbackSource, own, target).size() == 1,
                "local tests name loopback nodes");
        assertFalse(ReplyNodes.sanitise(List.of(at("127.0.0.2")), lanSource, own, target).size() == 1);
    }

    @Test
    void keepsOnlyNodesOfTheSendersFamilyAtMostKOfThem() {
        List<Contact> mixed = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            mixed.add(at("198.51.100." + i));
            mixed.add(at("2001:db8::" + Integer.toHexString(i)));
            mixed.add(at("fd00::" + Integer.toHexString(i))); // unique local: narrower than a public sender
        }
        List<Contact> fromV4 = ReplyNodes.sanitise(mixed, source, own, target);
        assertEquals(Lookup.K, fromV4.size());
        assertTrue(fromV4.stream().allMatch(c -> c.address().getAddress() instanceof java.net.Inet4Address));
        Contact v6Source = new Contact(source.id(), new InetSocketAddress("2001:db8::ffff", 6881));
        List<Contact> fromV6 = ReplyNodes.sanitise(mixed, v6Source, own, target);
        assertEquals(Lookup.K, fromV6.size());
        assertTrue(fromV6.stream().allMatch(c -> c.address().getAddress().getHostAddress().startsWith("2001:db8:")),
                "IPv6 only, and no unique-local address from a public sender");
    }
}
