package io.kadtorrent.engine.discovery;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StaticPeerSourceTest {

    @Test
    void offersEachNamedPeerOnceAtStart() {
        List<InetSocketAddress> offered = new ArrayList<>();
        InetSocketAddress a = new InetSocketAddress("127.0.0.1", 1);
        InetSocketAddress b = new InetSocketAddress("127.0.0.1", 2);
        try (StaticPeerSource source = new StaticPeerSource(List.of(a, b, a), new PeerSink() {
            @Override
            public boolean needsPeers() {
                return true;
            }

            @Override
            public void offer(InetSocketAddress peer) {
                offered.add(peer);
            }
        })) {
            assertEquals(List.of(), offered);
            source.start();
        }
        assertEquals(List.of(a, b), offered);
    }
}
