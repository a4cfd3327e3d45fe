package io.kadtorrent.dht.node;

import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real DhtNodes over Netty UDP on 127.0.0.1. */
class DhtNodeIT {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<DhtNode> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void closeAll() {
        nodes.forEach(DhtNode::close);
    }

    private DhtNode start(DhtConfig config) throws IOException {
        DhtNode node = DhtNode.start(config);
        nodes.add(node);
        return node;
    }

    @Test
    void sixtyOneNodesBootstrapFromOneAndFindAnAnnouncedPeer() throws Exception {
        DhtNode first = start(DhtConfig.defaults().withBindAddress(LOOPBACK));
        // Ten waves of six concurrent joins: concurrent enough to race, ordered enough that
        // later nodes find the earlier ones (as a real network grows).
        for (int wave = 0; wave < 10; wave++) {
            List<CompletableFuture<Integer>> joins = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                joins.add(start(DhtConfig.defaults().withBindAddress(LOOPBACK)
                        .withBootstrap(List.of(first.localAddress()))).joined());
            }
            for (CompletableFuture<Integer> j : joins) {
                assertTrue(j.get(30, TimeUnit.SECONDS) > 0);
            }
        }
        InfoHash hash = InfoHash.ofInfo("kadtorrent IT".getBytes());
        assertTrue(nodes.get(7).announce(hash, 51413).get(30, TimeUnit.SECONDS) > 0);

        ConcurrentLinkedQueue<InetSocketAddress> streamed = new ConcurrentLinkedQueue<>();
        Set<InetSocketAddress> peers = nodes.get(42).getPeers(hash, streamed::add).get(30, TimeUnit.SECONDS);
        InetSocketAddress expected = new InetSocketAddress(LOOPBACK, 51413);
        assertTrue(peers.contains(expected), peers.toString());
        assertTrue(streamed.contains(expected), "streamed as found");
        assertFalse(first.contacts(20).isEmpty());
        assertTrue(first.contacts(20).size() <= 20);
    }

    @Test
    void itemsPutByOneNodeAreGotByAnother() throws Exception {
        DhtNode first = start(DhtConfig.defaults().withBindAddress(LOOPBACK));
        for (int i = 0; i < 12; i++) {
            start(DhtConfig.defaults().withBindAddress(LOOPBACK).withBootstrap(List.of(first.localAddress())))
                    .joined().get(30, TimeUnit.SECONDS);
        }
        ImmutableItem immutable = new ImmutableItem(ItemValue.of("12:Hello World!".getBytes(US_ASCII)));
        assertTrue(nodes.get(3).put(immutable, OptionalLong.empty()).get(30, TimeUnit.SECONDS) > 0);
        assertEquals(Optional.of(immutable), nodes.get(9).getImmutable(immutable.target()).get(30, TimeUnit.SECONDS));
        byte[] privateKey = new byte[32];
        new SplittableRandom(1).nextBytes(privateKey);
        byte[] salt = "catalog".getBytes(US_ASCII);
        MutableItem v1 = MutableItem.sign(privateKey, salt, 1, ItemValue.of("2:v1".getBytes(US_ASCII)));
        MutableItem v2 = MutableItem.sign(privateKey, salt, 2, ItemValue.of("2:v2".getBytes(US_ASCII)));
        assertTrue(nodes.get(4).put(v1, OptionalLong.empty()).get(30, TimeUnit.SECONDS) > 0);
        assertTrue(nodes.get(5).put(v2, OptionalLong.of(1)).get(30, TimeUnit.SECONDS) > 0);
        assertEquals(Optional.of(v2), nodes.get(11).getMutable(v1.key(), salt).get(30, TimeUnit.SECONDS));
    }

    @Test
    void restartedNodeKeepsItsIdAndRejoinsFromSavedState() throws Exception {
        DhtNode seed = start(DhtConfig.defaults().withBindAddress(LOOPBACK));
        List<DhtNode> others = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            DhtNode n = start(DhtConfig.defaults().withBindAddress(LOOPBACK).withBootstrap(List.of(seed.localAddress())));
            n.joined().get(30, TimeUnit.SECONDS);
            others.add(n);
        }
        Path state = dir.resolve("node.state");
        DhtNode node = start(DhtConfig.defaults().withBindAddress(LOOPBACK) // close() is idempotent
                .withBootstrap(List.of(seed.localAddress())).withStateFile(state));
        assertTrue(node.joined().get(30, TimeUnit.SECONDS) >= 5);
        var id = node.id();
        node.close();
        assertTrue(Files.size(state) > 20);

        DhtNode restarted = start(DhtConfig.defaults().withBindAddress(LOOPBACK).withStateFile(state));
        assertTrue(restarted.joined().get(30, TimeUnit.SECONDS) >= 5, "rejoined without any bootstrap node given");
        assertEquals(id, restarted.id());
    }

    @Test
    void callsOnAClosedNodeFailCleanly() throws Exception {
        DhtNode node = DhtNode.start(DhtConfig.defaults().withBindAddress(LOOPBACK));
        node.close();
        node.close();
        CompletableFuture<Integer> f = node.bootstrap(List.of(new InetSocketAddress(LOOPBACK, 9)));
        assertTrue(f.isCompletedExceptionally());
    }
}
