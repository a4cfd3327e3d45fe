package io.kadtorrent.engine.sim;

import io.kadtorrent.dht.sim.LinkModel;
import io.kadtorrent.engine.swarm.SwarmConfig;
import io.kadtorrent.torrent.layout.PieceLayout;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A streaming reader in a simulated swarm: it starts at byte 0, reads at a player's pace, seeks to 60 %
 * and reads on, telling its core which pieces it needs next (deadline picking). The first byte, and the
 * first byte after the seek, come within a small bound while the rest of the swarm still completes.
 */
class StreamingSimulationProperties {

    private static final long KIB = 1 << 10;
    private static final long MIB = 1 << 20;
    private static final long TICK_MILLIS = 100;
    /** A player reading 1 MiB/s (a high-bitrate video), with the next 4 MiB asked for ahead of it. */
    private static final long PLAY_BYTES_PER_SECOND = MIB;
    private static final long WINDOW_BYTES = 4 * MIB;
    /** The first byte after a seek, in virtual milliseconds: a few pieces' transfer at most. */
    private static final long MAX_FIRST_BYTE_MILLIS = 2_000;
    /**
     * The first byte of a newcomer: it must also connect and be unchoked, which may wait for a peer's next
     * rechoke (every 10 s) when every upload slot is taken.
     */
    private static final long MAX_FIRST_BYTE_OF_NEWCOMER_MILLIS = 12_000;

    private static final List<Long> startLatencies = Collections.synchronizedList(new ArrayList<>());
    private static final List<Long> seekLatencies = Collections.synchronizedList(new ArrayList<>());

    @Property(tries = 6)
    void aReaderGetsItsFirstByteSoonAfterStartingAndAfterASeekAndTheSwarmStillCompletes(@ForAll("seeds") long seed) {
        SwarmSimulation sim = new SwarmSimulation(seed, SyntheticTorrent.of(seed, 32 * MIB, (int) (256 * KIB)),
                LinkModel.lossless(), SwarmConfig.defaults(), new CountingAllocator());
        PieceLayout layout = sim.torrent().layout();
        sim.join(PeerSpec.seeder(4 * MIB), 0);
        List<SimPeer> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            others.add(sim.join(PeerSpec.leecher(MIB, 4 * MIB), 4));
        }
        sim.runUntil(() -> false, 20_000); // the swarm is under way when the viewer arrives
        SimPeer viewer = sim.join(PeerSpec.leecher(MIB, 4 * MIB), 6);
        Reader reader = new Reader(sim, viewer, layout);

        reader.seekTo(0);
        assertTrue(sim.runUntil(() -> reader.position >= layout.totalBytes() / 5, 10 * 60_000), sim + ": reading stalled");
        startLatencies.add(reader.firstByteMillis);
        reader.seekTo(layout.totalBytes() * 6 / 10);
        assertTrue(sim.runUntil(() -> reader.position >= layout.totalBytes() * 7 / 10, 10 * 60_000),
                sim + ": reading after the seek stalled");
        seekLatencies.add(reader.firstByteMillis);
        boolean done = sim.runUntil(() -> viewer.isComplete() && others.stream().allMatch(SimPeer::isComplete),
                20 * 60_000);
        assertTrue(done, sim + ": the swarm did not complete around the reader");
        assertTrue(startLatencies.get(startLatencies.size() - 1) <= MAX_FIRST_BYTE_OF_NEWCOMER_MILLIS,
                sim + ": first byte after " + startLatencies.get(startLatencies.size() - 1) + " ms");
        assertTrue(reader.firstByteMillis <= MAX_FIRST_BYTE_MILLIS,
                sim + ": first byte after the seek after " + reader.firstByteMillis + " ms");
    }

    @AfterContainer
    static void report() {
        System.out.println("streaming first byte after start (ms): " + percentiles(startLatencies));
        System.out.println("streaming first byte after a seek to 60 % (ms): " + percentiles(seekLatencies));
    }

    private static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "none";
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "n=%d min %d p50 %d p90 %d max %d", sorted.size(), sorted.get(0),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.min(sorted.size() - 1, Math.round(0.9 * (sorted.size() - 1)))),
                sorted.get(sorted.size() - 1));
    }

    /** The player: every tick it reads on if the bytes at its position are verified, and asks for the window ahead. */
    private static final class Reader {
        final SwarmSimulation sim;
        final SimPeer peer;
        final PieceLayout layout;
        long position;
        long seekAt;
        long firstByteMillis = -1;
        List<Integer> asked = List.of();

        Reader(SwarmSimulation sim, SimPeer peer, PieceLayout layout) {
            this.sim = sim;
            this.peer = peer;
            this.layout = layout;
            schedule();
        }

        void seekTo(long offset) {
            position = offset;
            seekAt = sim.now();
            firstByteMillis = -1;
            askAhead();
        }

        private void schedule() {
            sim.at(sim.now() + TICK_MILLIS, this::tick);
        }

        private void tick() {
            if (position < layout.totalBytes() && peer.store.has(piece(position))) {
                if (firstByteMillis < 0) {
                    firstByteMillis = sim.now() - seekAt;
                }
                position = Math.min(layout.totalBytes(), position + PLAY_BYTES_PER_SECOND * TICK_MILLIS / 1000);
            }
            askAhead();
            if (position < layout.totalBytes()) {
                schedule();
            }
        }

        private void askAhead() {
            List<Integer> window = new ArrayList<>();
            int last = piece(Math.min(layout.totalBytes() - 1, position + WINDOW_BYTES));
            for (int p = piece(Math.min(layout.totalBytes() - 1, position)); p <= last; p++) {
                if (!peer.store.has(p)) {
                    window.add(p);
                }
            }
            if (!window.equals(asked)) {
                asked = window;
                peer.needSoon(window);
            }
        }

        private int piece(long offset) {
            return (int) (offset / layout.pieceLengthBytes());
        }
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs().withDistribution(RandomDistribution.uniform());
    }
}
