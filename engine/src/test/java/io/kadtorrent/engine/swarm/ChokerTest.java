package io.kadtorrent.engine.swarm;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChokerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static PeerSnapshot<String> peer(String id, long down, long up, Instant connectedAt,
                                             Optional<Instant> lastBlock) {
        return new PeerSnapshot<>(id, true, true, false, down, up, connectedAt, lastBlock);
    }

    private static void assertUnchoked(Set<String> regular, String optimistic, Choker.Unchoked<String> u) {
        assertEquals(regular, u.regular());
        assertEquals(Optional.of(optimistic), u.optimistic(), "the optimistic slot still gives it a chance");
    }

    @Test
    void newPeersAreThreeTimesLikelierToBeOptimisticallyUnchoked() {
        Instant now = T0.plusSeconds(600);
        List<PeerSnapshot<String>> peers = List.of(
                peer("old", 0, 0, T0, Optional.of(now)),
                peer("new", 0, 0, now.minusSeconds(5), Optional.of(now)));
        Random random = new Random(42);
        int newPicks = 0;
        int draws = 4_000;
        for (int i = 0; i < draws; i++) {
            // no regular slots: both peers compete for the optimistic one
            if (new Choker<String>(0, random).rechoke(now, false, peers).optimistic().orElseThrow().equals("new")) {
                newPicks++;
            }
        }
        double ratio = (double) newPicks / (draws - newPicks);
        assertTrue(ratio > 2.6 && ratio < 3.4, "new:old = " + ratio);
    }

    @Test
    void snubbingPeerLosesItsRegularSlotDespiteItsRate() {
        Instant now = T0.plus(Choker.SNUB_TIMEOUT).plusSeconds(1);
        List<PeerSnapshot<String>> peers = List.of(
                peer("snubber", 9_000_000, 0, T0, Optional.empty()),
                peer("a", 300, 0, T0, Optional.of(now.minusSeconds(1))),
                peer("b", 200, 0, T0, Optional.of(now.minusSeconds(1))),
                peer("c", 100, 0, T0, Optional.of(now.minusSeconds(1))));
        assertUnchoked(Set.of("a", "b", "c"), "snubber", new Choker<String>(3, new Random(1)).rechoke(now, false, peers));
    }

    @Test
    void seederGivesHoardersTurnsOnlyWhenNobodyWhoPassesPiecesOnWaits() {
        Instant now = T0.plusSeconds(600);
        PeerSnapshot<String> hoarder = new PeerSnapshot<>("hoarder", true, false, true, 0, 0, T0, Optional.empty(),
                true);
        List<PeerSnapshot<String>> peers = List.of(hoarder, peer("a", 0, 0, T0, Optional.empty()),
                peer("b", 0, 0, T0, Optional.empty()), peer("c", 0, 0, T0, Optional.empty()));
        Choker<String> choker = new Choker<>(2, new Random(1));
        for (int turn = 0; turn < 6; turn++) {
            Choker.Unchoked<String> u = choker.rechoke(now.plus(Choker.SEED_TURN.multipliedBy(turn)), true, peers);
            assertFalse(u.all().contains("hoarder"), "turn " + turn + ": " + u);
        }
        Set<String> alone = choker.rechoke(now, true, List.of(hoarder)).all();
        assertEquals(Set.of("hoarder"), alone, "a free slot still goes to a hoarder");
    }

    @Test
    void seederGivesEachInterestedPeerAThirtySecondTurnWhateverItsRate() {
        Instant now = T0.plusSeconds(600);
        List<PeerSnapshot<String>> peers = List.of(
                peer("fastDown1", 0, 9_000_000, T0, Optional.empty()),
                peer("fastDown2", 0, 8_000_000, T0, Optional.empty()),
                peer("slow1", 0, 10, T0, Optional.empty()),
                peer("slow2", 0, 20, T0, Optional.empty()));
        Choker<String> choker = new Choker<>(2, new Random(1));
        Set<String> first = choker.rechoke(now, true, peers).regular();
        assertEquals(first, choker.rechoke(now.plusSeconds(20), true, peers).regular(), "a turn lasts 30 s");
        Set<String> second = choker.rechoke(now.plus(Choker.SEED_TURN), true, peers).regular();
        assertEquals(2, second.size());
        assertTrue(second.stream().noneMatch(first::contains), "the two that waited take the slots: " + second);
        assertEquals(first, choker.rechoke(now.plus(Choker.SEED_TURN.multipliedBy(2)), true, peers).regular());
    }

    @Test
    void peerThatChokesUsWhileWeWantItsPiecesRanksBelowPeersWithNoChanceToReciprocate() {
        Instant now = T0.plusSeconds(600);
        List<PeerSnapshot<String>> peers = List.of(
                new PeerSnapshot<>("refuser", true, true, true, 0, 9_000, T0, Optional.empty()),
                new PeerSnapshot<>("sender", true, true, true, 100, 0, T0, Optional.of(now)),
                new PeerSnapshot<>("nothingWeWant", true, false, true, 0, 0, T0, Optional.empty()),
                new PeerSnapshot<>("unchokesUs", true, true, false, 0, 0, now.minusSeconds(5), Optional.empty()));
        assertUnchoked(Set.of("sender", "nothingWeWant", "unchokesUs"), "refuser",
                new Choker<String>(3, new Random(1)).rechoke(now, false, peers));
    }

    @Test
    void leecherRanksAHoarderThatSendsToUsBeforeAPeerThatRefusesUsAndAfterASenderThatPassesPiecesOn() {
        Instant now = T0.plusSeconds(600);
        List<PeerSnapshot<String>> peers = List.of(
                new PeerSnapshot<>("refuser", true, true, true, 0, 9_000, now.minusSeconds(5), Optional.empty(),
                        false),
                new PeerSnapshot<>("hoardingSender", true, true, false, 100, 0, T0, Optional.of(now), true),
                new PeerSnapshot<>("sender", true, true, false, 100, 0, T0, Optional.of(now), false));
        assertEquals(Set.of("sender"), new Choker<String>(1, new Random(1)).rechoke(now, false, peers).regular(),
                "hoarding only breaks the tie between equal senders");
        assertEquals(Set.of("sender", "hoardingSender"),
                new Choker<String>(2, new Random(1)).rechoke(now, false, peers).regular(),
                "a peer that sends to us outranks one that refuses us, hoarder or not");
    }

    @Test
    void refusingPeerTakesARegularSlotNobodyElseWants() {
        Instant now = T0.plusSeconds(600);
        List<PeerSnapshot<String>> peers = List.of(
                new PeerSnapshot<>("refuser", true, true, true, 0, 0, now.minusSeconds(5), Optional.empty()),
                new PeerSnapshot<>("sender", true, true, true, 100, 0, T0, Optional.of(now)));
        Choker.Unchoked<String> u = new Choker<String>(3, new Random(1)).rechoke(now, false, peers);
        assertEquals(Set.of("refuser", "sender"), u.regular());
    }

    @Test
    void downloadRateFallsToZeroTwentySecondsAfterThePeerStopsSending() {
        TransferRate rate = new TransferRate();
        for (long t = 0; t < 10_000; t += 100) {
            rate.record(16_384, t);
        }
        assertEquals(16_384 * 100 / 20, rate.bytesPerSecond(10_000));
        assertTrue(rate.bytesPerSecond(20_000) > 0, "still inside the 20 s window");
        assertEquals(0, rate.bytesPerSecond(30_000), "a peer that stopped sending no longer counts as reciprocating");
    }

    @Test
    void uninterestedPeersStayChoked() {
        Instant now = T0.plusSeconds(600);
        PeerSnapshot<String> bored = new PeerSnapshot<>("bored", false, true, false, 1_000_000, 1_000_000, T0,
                Optional.of(now));
        Choker.Unchoked<String> u = new Choker<String>(3, new Random(1)).rechoke(now, false, List.of(bored));
        assertEquals(Set.of(), u.all());
    }

    @Test
    void optimisticPeerPromotedToRegularSlotIsReplacedAtOnce() {
        Instant now = T0.plusSeconds(600);
        Choker<String> choker = new Choker<>(1, new Random(3));
        List<PeerSnapshot<String>> before = List.of(
                peer("top", 1_000, 0, T0, Optional.of(now)),
                peer("x", 10, 0, T0, Optional.of(now)),
                peer("y", 20, 0, T0, Optional.of(now)));
        String optimistic = choker.rechoke(now, false, before).optimistic().orElseThrow();
        Instant later = now.plus(Choker.RECHOKE_INTERVAL);
        List<PeerSnapshot<String>> after = before.stream()
                .map(p -> p.peer().equals(optimistic) ? peer(optimistic, 5_000, 0, T0, Optional.of(later)) : p)
                .toList();
        Choker.Unchoked<String> u = choker.rechoke(later, false, after);
        assertEquals(Set.of(optimistic), u.regular());
        assertTrue(u.optimistic().isPresent());
        assertNotEquals(optimistic, u.optimistic().orElseThrow());
        assertFalse(u.regular().contains(u.optimistic().orElseThrow()));
    }
}
