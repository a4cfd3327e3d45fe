package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.krpc.AddressFamily;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class SharedNodeInfosTest {

    @Test
    void aNodesEntryIsItsOneSharedInfoAndAnyOtherEntryIsNot() throws Exception {
        SimulatedNetwork net = new SimulatedNetwork(3, LinkModel.lossless());
        for (int i = 0; i < 5; i++) {
            net.addNode();
        }
        SimNode elsewhere = net.addNode(NodeId.random(net.random()),
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, 1}), 7000));
        SharedNodeInfos shared = new SharedNodeInfos(net.nodes());
        SimNode third = net.nodes().get(2);
        CompactNodeInfo info = new CompactNodeInfo(third.engine().ownId(), third.address());
        byte[] entry = CompactNodeInfo.encodeAll(List.of(info), AddressFamily.IPV4);

        CompactNodeInfo first = shared.find(entry, 0);
        assertEquals(info, first);
        assertSame(first, shared.find(entry, 0)); // one instance, however often it is named
        assertSame(third.engine().ownId(), first.id());
        assertSame(third.address(), first.address());

        byte[] otherId = entry.clone();
        otherId[5] ^= 1;
        assertNull(shared.find(otherId, 0), "another id at that address");
        byte[] otherPort = entry.clone();
        otherPort[25] ^= 1;
        assertNull(shared.find(otherPort, 0), "another port");
        byte[] noSuchNode = entry.clone();
        noSuchNode[22] = 9;
        assertNull(shared.find(noSuchNode, 0), "no node has that index");
        byte[] notSimulated = CompactNodeInfo.encodeAll(
                List.of(new CompactNodeInfo(elsewhere.engine().ownId(), elsewhere.address())), AddressFamily.IPV4);
        assertNull(shared.find(notSimulated, 0), "a node at an address of its own");
        byte[] fresh = CompactNodeInfo.encodeAll(List.of(new CompactNodeInfo(net.nodes().get(4).engine().ownId(),
                net.nodes().get(4).address())), AddressFamily.IPV4);
        byte[] fifthWithThirdsId = fresh.clone();
        System.arraycopy(entry, 0, fifthWithThirdsId, 0, 20);
        assertNull(shared.find(fifthWithThirdsId, 0), "the first look at a node checks its id too");
    }
}
