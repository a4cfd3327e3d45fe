package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scale benchmark's torrent rounds on a built network: announces from random nodes, get_peers timed to the first
 * peer, and whether the announces are still found after the kill; each runs {@link ScaleBenchmark#CONCURRENT_LOOKUPS}
 * operations at a time, drawing from the network's random stream in a fixed order so a seed replays.
 */
final class TorrentRounds {

    private TorrentRounds() {
    }

    /** Torrents announced, one peer each, before the kill. */
    record Announces(List<InfoHash> hashes, List<InetSocketAddress> peers) {
    }

    /**
     * {@code count} torrents announced from random nodes, {@link ScaleBenchmark#CONCURRENT_LOOKUPS} at a time (each draws its
     * node, then its hash, in order); only those that at least one node accepted are kept.
     */
    static Announces announce(SimulatedDht dht, int count) {
        SimulatedNetwork net = dht.network();
        List<SimNode> alive = net.aliveNodes(); // all nodes unless churn left some dead
        List<InfoHash> hashes = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        for (int done = 0; done < count; ) {
            int batch = Math.min(ScaleBenchmark.CONCURRENT_LOOKUPS, count - done);
            SimNode[] announcers = new SimNode[batch];
            InfoHash[] batchHashes = new InfoHash[batch];
            int[] accepted = new int[batch];
            AtomicInteger pending = new AtomicInteger(batch); // counted down on the shards' threads
            for (int i = 0; i < batch; i++) {
                int slot = i;
                announcers[i] = alive.get(net.random().nextInt(alive.size()));
                batchHashes[i] = InfoHash.of(NodeId.random(net.random()).bytes());
                net.act(announcers[i], (e, now) -> e.announce(now, batchHashes[slot], 6881, false, n -> {
                    accepted[slot] = n;
                    pending.decrementAndGet();
                }));
            }
            if (!net.runUntil(() -> pending.get() == 0, SimulatedDht.OPERATION_LIMIT_MILLIS)) {
                throw new IllegalStateException("announces did not finish");
            }
            for (int i = 0; i < batch; i++) {
                if (accepted[i] > 0) {
                    hashes.add(batchHashes[i]);
                    peers.add(new InetSocketAddress(announcers[i].address().getAddress(), 6881));
                }
            }
            done += batch;
        }
        return new Announces(hashes, peers);
    }

    /**
     * Virtual milliseconds from starting a get_peers for an announced torrent to its first peer, per lookup
     * ({@link Long#MAX_VALUE} when none came); {@link ScaleBenchmark#CONCURRENT_LOOKUPS} in flight at a time.
     */
    static long[] firstPeerMillis(SimulatedDht dht, Announces announces, int lookups) {
        SimulatedNetwork net = dht.network();
        List<SimNode> alive = net.aliveNodes();
        long[] millis = new long[lookups];
        Arrays.fill(millis, Long.MAX_VALUE);
        for (int done = 0; done < lookups; ) {
            int batch = Math.min(ScaleBenchmark.CONCURRENT_LOOKUPS, lookups - done);
            AtomicInteger pending = new AtomicInteger(batch);
            long start = net.clock().nowMillis();
            for (int i = done; i < done + batch; i++) {
                int slot = i;
                SimNode from = alive.get(net.random().nextInt(alive.size()));
                InfoHash hash = announces.hashes().get(i % announces.hashes().size());
                net.act(from, (e, now) -> e.getPeers(now, hash, p -> {
                    if (millis[slot] == Long.MAX_VALUE) {
                        millis[slot] = net.clock().nowMillis() - start;
                    }
                }, r -> pending.decrementAndGet()));
            }
            if (!net.runUntil(() -> pending.get() == 0, SimulatedDht.OPERATION_LIMIT_MILLIS)) {
                throw new IllegalStateException("get_peers did not finish");
            }
            done += batch;
        }
        return millis;
    }

    /**
     * The announce-under-churn property at this scale: of the announces a live node still stores (one of
     * the 16 live nodes closest to the hash), how many a get_peers from a random live node finds.
     */
    static String findAfterKill(SimulatedDht dht, Announces announces) {
        SimulatedNetwork net = dht.network();
        List<SimNode> alive = net.aliveNodes();
        List<Integer> findable = new ArrayList<>();
        for (int i = 0; i < announces.hashes().size(); i++) {
            InfoHash hash = announces.hashes().get(i);
            InetSocketAddress peer = announces.peers().get(i);
            boolean stored = false;
            for (SimNode holder : dht.trueClosestNodes(NodeId.of(hash), 16)) {
                stored |= holder.engine().peerStore().values(hash, net.clock().nowMillis()).contains(peer);
            }
            if (stored) {
                findable.add(i);
            }
        }
        int found = 0;
        for (int done = 0; done < findable.size(); ) {
            int batch = Math.min(ScaleBenchmark.CONCURRENT_LOOKUPS, findable.size() - done);
            boolean[] hit = new boolean[batch];
            AtomicInteger pending = new AtomicInteger(batch);
            for (int j = 0; j < batch; j++) {
                int slot = j;
                int announce = findable.get(done + j);
                InfoHash hash = announces.hashes().get(announce);
                InetSocketAddress peer = announces.peers().get(announce);
                SimNode searcher = alive.get(net.random().nextInt(alive.size()));
                net.act(searcher, (e, now) -> e.getPeers(now, hash, p -> { }, r -> {
                    hit[slot] = r.peers().contains(peer);
                    pending.decrementAndGet();
                }));
            }
            if (!net.runUntil(() -> pending.get() == 0, SimulatedDht.OPERATION_LIMIT_MILLIS)) {
                throw new IllegalStateException("get_peers after the kill did not finish");
            }
            for (boolean h : hit) {
                found += h ? 1 : 0;
            }
            done += batch;
        }
        return found + "/" + findable.size();
    }
}
