package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SwarmSimulationTest {

    private static final long MIB = 1 << 20;

    @Test
    void sameSeedReplaysTheSameRun() {
        long[] events = new long[2];
        for (int run = 0; run < 2; run++) {
            SwarmSimulation sim = new SwarmSimulation(11, SyntheticTorrent.of(11, MIB, 64 * 1024),
                    LinkModel.lossless().withLoss(0.05), SwarmConfig.defaults(), new CountingAllocator());
            sim.join(PeerSpec.seeder(MIB), 0);
            for (int i = 0; i < 5; i++) {
                sim.join(PeerSpec.leecher(MIB / 2, 2 * MIB), 3);
            }
            assertTrue(sim.runUntil(() -> sim.peers().stream().allMatch(SimPeer::isComplete), 600_000), sim.toString());
            events[run] = sim.events().processed() * 1_000_003 + sim.now();
        }
        assertEquals(events[0], events[1]);
    }

    /**
     * Honest leechers whose slots are always full (4 each, as libtorrent leechers keep, among 20 peers that all
     * want each other's pieces): each chokes most of the peers it wants pieces from, so nearly every peer
     * refuses nearly every other and spends its credit with it. Overdrawn peers rank last but still take the
     * slots nobody else wants, and trade resumes as soon as one sends a block: everyone completes.
     */
    @Test
    void honestLeechersWithFullSlotsAllComplete() {
        SyntheticTorrent t = SyntheticTorrent.of(17, 8 * MIB, 128 * 1024);
        CountingAllocator blocks = new CountingAllocator();
        SwarmSimulation sim = new SwarmSimulation(17, t, LinkModel.lossless(), SwarmConfig.defaults().withUnchokeSlots(4),
                blocks);
        sim.join(PeerSpec.seeder(512 * 1024), 0);
        int leechers = 20;
        List<SimPeer> crowd = new ArrayList<>();
        for (int i = 0; i < leechers; i++) {
            crowd.add(sim.join(PeerSpec.leecher(256 * 1024, 4 * MIB), leechers));
        }
        boolean done = sim.runUntil(() -> crowd.stream().allMatch(SimPeer::isComplete), 30 * 60_000);
        assertTrue(done, sim + ": incomplete " + crowd.stream().filter(p -> !p.isComplete()).toList());
        long last = crowd.stream().mapToLong(p -> p.stats.completionMillis()).max().orElseThrow();
        System.out.printf("full slots: 20 leechers of 8 MiB done, the last after %d ms%n", last);
    }

    @Test
    void syntheticPiecesHashToTheirMetainfoSha1() throws Exception {
        SyntheticTorrent t = SyntheticTorrent.of(3, MIB + 5, 32 * 1024);
        var sha1 = java.security.MessageDigest.getInstance("SHA-1");
        int last = t.layout().pieceCount() - 1;
        var buf = io.netty.buffer.Unpooled.buffer();
        try {
            t.write(last, 0, t.layout().pieceSize(last), buf);
            byte[] digest = sha1.digest(io.netty.buffer.ByteBufUtil.getBytes(buf));
            assertEquals(java.util.HexFormat.of().formatHex(t.metainfo().pieceHash(last)),
                    java.util.HexFormat.of().formatHex(digest));
        } finally {
            buf.release();
        }
    }

    @Test
    void tenLeechersCompleteFromOneSeed() {
        SyntheticTorrent t = SyntheticTorrent.of(7, 4 * MIB + 12_345, 64 * 1024);
        CountingAllocator blocks = new CountingAllocator();
        SwarmSimulation sim = new SwarmSimulation(7, t, LinkModel.lossless(), SwarmConfig.defaults(), blocks);
        sim.join(PeerSpec.seeder(2 * MIB), 0);
        for (int i = 0; i < 10; i++) {
            sim.join(PeerSpec.leecher(MIB, 4 * MIB), 5);
        }
        boolean done = sim.runUntil(() -> sim.peers().stream().allMatch(SimPeer::isComplete), 600_000);
        assertTrue(done, sim.toString());
        for (SimPeer p : sim.peers().subList(1, sim.peers().size())) {
            assertEquals(t.metainfo().totalBytes(), p.stats.downloadedBytes, sim + ": " + p + " downloaded a block twice");
        }
        sim.peers().forEach(sim::leave);
        sim.runUntil(() -> false, 60_000);
        assertEquals(0, blocks.unreleased());
    }

    /**
     * Peers with and without the Fast extension (BEP 6) in one swarm: each pair speaks what both offer
     * (have_all / rejects / allowed fast, or plain BEP 3), every leecher completes without a block twice,
     * nobody is banned and every block is released.
     */
    @Test
    void peersWithAndWithoutTheFastExtensionShareOneSwarm() {
        SyntheticTorrent t = SyntheticTorrent.of(13, 4 * MIB + 4_321, 64 * 1024);
        CountingAllocator blocks = new CountingAllocator();
        SwarmSimulation sim = new SwarmSimulation(13, t, LinkModel.lossless().withLoss(0.02), SwarmConfig.defaults(),
                blocks);
        sim.join(PeerSpec.seeder(MIB), 0);
        sim.join(PeerSpec.seeder(MIB).with(Behaviour.NO_FAST), 0);
        List<SimPeer> leechers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            PeerSpec spec = PeerSpec.leecher(MIB / 2, 4 * MIB);
            leechers.add(sim.join(i % 2 == 0 ? spec : spec.with(Behaviour.NO_FAST), 5));
        }
        assertTrue(sim.runUntil(() -> leechers.stream().allMatch(SimPeer::isComplete), 600_000), sim.toString());
        for (SimPeer p : leechers) {
            assertEquals(t.metainfo().totalBytes(), p.stats.downloadedBytes, sim + ": " + p + " downloaded a block twice");
            assertTrue(p.stats.banned.isEmpty(), sim + ": " + p + " banned an honest peer");
        }
        sim.peers().forEach(sim::leave);
        sim.runUntil(() -> false, 60_000);
        assertEquals(0, blocks.unreleased());
    }

    /**
     * The scale benchmark's transport: trains of blocks without bytes still complete every honest peer (the
     * store's invariants hold: no block written twice, Completed only with every piece verified), replay
     * exactly, and a peer corrupting its blocks is banned, and no honest one.
     */
    @Test
    void bulkTransportCompletesReplaysAndCatchesCorruptBlocks() {
        long[] events = new long[2];
        for (int run = 0; run < 2; run++) {
            SyntheticTorrent t = SyntheticTorrent.of(5, 3 * MIB + 777, 64 * 1024);
            SwarmSimulation sim = new SwarmSimulation(5, t, LinkModel.lossless(), SwarmConfig.defaults(),
                    new CountingAllocator(), Transport.BULK);
            sim.join(PeerSpec.seeder(2 * MIB), 0);
            SimPeer liar = sim.join(PeerSpec.seeder(4 * MIB).with(Behaviour.CORRUPT), 0);
            List<SimPeer> honest = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                honest.add(sim.join(PeerSpec.leecher(MIB, 4 * MIB), 9));
            }
            assertTrue(sim.runUntil(() -> honest.stream().allMatch(SimPeer::isComplete), 600_000), sim.toString());
            assertTrue(honest.stream().anyMatch(p -> p.stats.banned.contains(liar.index)), sim + ": nobody banned the liar");
            for (SimPeer p : honest) {
                assertTrue(honest.stream().noneMatch(q -> p.stats.banned.contains(q.index)), sim + ": " + p + " banned an honest peer");
            }
            events[run] = sim.events().processed() * 1_000_003 + sim.now();
        }
        assertEquals(events[0], events[1]);
    }
}
