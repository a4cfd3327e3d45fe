package io.kadtorrent.dht.peers;

import io.kadtorrent.torrent.metainfo.InfoHash;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeerStoreTest {

    private static InfoHash hash(int i) {
        byte[] b = new byte[20];
        b[0] = (byte) (i >>> 8);
        b[1] = (byte) i;
        return InfoHash.of(b);
    }

    private static InetSocketAddress peer(int i) {
        return new InetSocketAddress("127.0.0.1", 1 + i % 65_000);
    }

    @Test
    void peersExpireThirtyMinutesAfterTheirLastAnnounce() {
        PeerStore store = new PeerStore();
        store.add(hash(1), peer(1), 0);
        store.add(hash(1), peer(2), 10 * 60_000L);
        assertEquals(List.of(peer(2), peer(1)), store.values(hash(1), 29 * 60_000L));
        assertEquals(List.of(peer(2)), store.values(hash(1), 30 * 60_000L));
        store.expire(35 * 60_000L);
        assertEquals(1, store.peerCount());
        store.expire(40 * 60_000L);
        assertEquals(0, store.torrentCount());
    }

    @Test
    void perTorrentCapDropsOldestAndRepliesStayShort() {
        PeerStore store = new PeerStore();
        for (int i = 0; i < PeerStore.MAX_PEERS_PER_TORRENT + 10; i++) {
            assertTrue(store.add(hash(1), peer(i), 0));
        }
        assertEquals(PeerStore.MAX_PEERS_PER_TORRENT, store.peerCount());
        assertEquals(PeerStore.MAX_VALUES_PER_REPLY, store.values(hash(1), 1).size());
        assertEquals(peer(PeerStore.MAX_PEERS_PER_TORRENT + 9), store.values(hash(1), 1).get(0));
    }

    @Test
    void refusesNewTorrentsWhenFull() {
        PeerStore store = new PeerStore();
        for (int i = 0; i < PeerStore.MAX_TORRENTS; i++) {
            assertTrue(store.add(hash(i), peer(i), 0));
        }
        assertFalse(store.add(hash(PeerStore.MAX_TORRENTS), peer(1), 0));
        assertEquals(PeerStore.MAX_TORRENTS, store.torrentCount());
    }
}
