package io.kadtorrent.engine.swarm;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChokerProperties {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /**
     * Generated times are multiples of 120 s after T0 and NOW is 70 s past one, so between NOW
     * and NOW + 30 s no peer changes between new/old or snubbing/not.
     */
    private static final Instant NOW = T0.plusSeconds(3_600 + 70);

    @Property(tries = 300)
    void neverUnchokesMoreThanSlotsPlusOneAndOnlyInterestedPeers(
            @ForAll("swarms") List<PeerSnapshot<Integer>> peers, @ForAll boolean seeding,
            @ForAll @IntRange(max = 6) int slots, @ForAll long seed) {
        Choker<Integer> choker = new Choker<>(slots, new Random(seed));
        Set<Integer> interested = peers.stream().filter(PeerSnapshot::peerInterested)
                .map(PeerSnapshot::peer).collect(Collectors.toSet());
        for (int step = 0; step < 12; step++) {
            Instant now = NOW.plus(Choker.RECHOKE_INTERVAL.multipliedBy(step));
            Choker.Unchoked<Integer> u = choker.rechoke(now, seeding, peers);
            assertTrue(u.all().size() <= slots + 1, u.toString());
            assertTrue(interested.containsAll(u.all()), "only interested peers are unchoked: " + u);
            assertEquals(interested.size() > u.regular().size(), u.optimistic().isPresent(),
                    "an interested peer left out of the regular slots gets the optimistic one: " + u);
        }
    }

    @Property(tries = 200)
    void seederGivesEveryInterestedPeerARegularTurn(@ForAll("swarms") List<PeerSnapshot<Integer>> peers,
                                                    @ForAll @IntRange(min = 1, max = 6) int slots,
                                                    @ForAll long seed) {
        Choker<Integer> choker = new Choker<>(slots, new Random(seed));
        Set<Integer> interested = peers.stream().filter(PeerSnapshot::peerInterested)
                .map(PeerSnapshot::peer).collect(Collectors.toSet());
        Set<Integer> served = new HashSet<>();
        int turns = (interested.size() + slots - 1) / slots;
        for (int step = 0; step <= turns * 3; step++) {
            served.addAll(choker.rechoke(NOW.plus(Choker.RECHOKE_INTERVAL.multipliedBy(step)), true, peers).regular());
        }
        assertEquals(interested, served, "round-robin: within " + turns + " turns every interested peer had one");
    }

    @Property(tries = 300)
    void leecherRanksSendersByRateThenUntestedThenRefusingPeersAndSkipsSnubbing(
            @ForAll("swarms") List<PeerSnapshot<Integer>> peers, @ForAll long seed) {
        Instant now = NOW;
        Choker.Unchoked<Integer> u = new Choker<Integer>(3, new Random(seed)).rechoke(now, false, peers);
        assertEquals(expectedLeecherSlots(peers, 3), u.regular());
        peers.stream().filter(p -> p.isSnubbing(now, Choker.SNUB_TIMEOUT))
                .forEach(p -> assertFalse(u.regular().contains(p.peer()), "snubbing peer " + p.peer()));
    }

    /**
     * The expected regular set: interested, not snubbing peers; those that sent us data first (fastest first),
     * then those that could not refuse us, then those that choke us while we want their pieces; ties by our
     * upload rate to them (distinct in the generated swarms).
     */
    private static Set<Integer> expectedLeecherSlots(List<PeerSnapshot<Integer>> peers, int slots) {
        ToIntFunction<PeerSnapshot<Integer>> rank = p -> p.downloadBytesPerSecond() > 0 ? 0
                : p.weAreInterested() && p.chokesUs() ? 2 : 1;
        return peers.stream()
                .filter(PeerSnapshot::peerInterested)
                .filter(p -> !p.isSnubbing(NOW, Choker.SNUB_TIMEOUT))
                .sorted(Comparator.comparingInt(rank)
                        .thenComparing(Comparator.comparingLong((PeerSnapshot<Integer> p) -> p.downloadBytesPerSecond()).reversed())
                        .thenComparing(Comparator.comparingLong((PeerSnapshot<Integer> p) -> p.uploadBytesPerSecond()).reversed()))
                .limit(slots)
                .map(PeerSnapshot::peer)
                .collect(Collectors.toCollection(HashSet::new));
    }

    @Property(tries = 200)
    void optimisticUnchokeHoldsForThirtySecondsThenRotates(@ForAll("swarms") List<PeerSnapshot<Integer>> peers,
                                                          @ForAll boolean seeding, @ForAll long seed) {
        Choker<Integer> choker = new Choker<>(3, new Random(seed));
        Instant start = NOW;
        Choker.Unchoked<Integer> first = choker.rechoke(start, seeding, peers);
        long candidates = peers.stream()
                .filter(p -> p.peerInterested() && !first.regular().contains(p.peer())).count();
        if (candidates == 0) {
            assertEquals(Optional.empty(), first.optimistic());
            return;
        }
        for (int step = 1; step <= 2; step++) {
            Instant now = start.plus(Choker.RECHOKE_INTERVAL.multipliedBy(step));
            assertEquals(first.optimistic(), choker.rechoke(now, seeding, peers).optimistic());
        }
        Choker.Unchoked<Integer> rotated = choker.rechoke(start.plus(Choker.OPTIMISTIC_INTERVAL), seeding, peers);
        // a seed's regular turns end at the same moment, so count the candidates left beside the new regulars
        List<Integer> left = peers.stream().filter(p -> p.peerInterested() && !rotated.regular().contains(p.peer()))
                .map(PeerSnapshot::peer).toList();
        if (left.size() >= 2) {
            assertNotEquals(first.optimistic(), rotated.optimistic());
        } else if (left.equals(first.optimistic().stream().toList())) {
            assertEquals(first.optimistic(), rotated.optimistic(), "a lone candidate keeps the slot");
        }
    }

    /** 0..20 peers with distinct ids and distinct rates (so the expected ranking is unambiguous). */
    @Provide
    Arbitrary<List<PeerSnapshot<Integer>>> swarms() {
        return Arbitraries.integers().between(0, 20).flatMap(n -> Combinators.combine(
                Arbitraries.of(true, false).list().ofSize(n),
                Arbitraries.of(true, false).list().ofSize(n),
                Arbitraries.of(true, false).list().ofSize(n),
                Arbitraries.integers().between(0, 30).list().ofSize(n),
                Arbitraries.integers().between(0, 30).optional().list().ofSize(n),
                Arbitraries.longs().between(0, 1_000_000).set().ofSize(n),
                Arbitraries.longs().between(0, 1_000_000).set().ofSize(n)
        ).as((interested, weWant, chokesUs, connected, lastBlock, down, up) -> {
            List<Long> downs = List.copyOf(down);
            List<Long> ups = List.copyOf(up);
            return IntStream.range(0, n).mapToObj(i -> new PeerSnapshot<>(i, interested.get(i), weWant.get(i),
                    chokesUs.get(i), downs.get(i), ups.get(i), T0.plusSeconds(connected.get(i) * 120L),
                    lastBlock.get(i).map(k -> T0.plusSeconds(k * 120L)))).toList();
        }));
    }
}
