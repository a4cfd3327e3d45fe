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

class LookupTest {

    private final SplittableRandom random = new SplittableRandom(4);
    private final NodeId target = NodeId.random(random);
    private int port = 1;

    private Contact contact(int sharedBitsWithTarget) {
        NodeId id = NodeId.randomWithPrefix(target.withBitFlipped(sharedBitsWithTarget), sharedBitsWithTarget + 1, random);
        return new Contact(id, new InetSocketAddress("127.0.0.1", port++));
    }

    @Test
    void keepsAtMostAlphaQueriesInFlight() {
        List<Contact> seeds = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seeds.add(contact(i));
        }
        Lookup lookup = new Lookup(target, seeds);
        List<Contact> first = lookup.nextQueries();
        assertEquals(Lookup.ALPHA, first.size());
        assertTrue(lookup.nextQueries().isEmpty());
        assertEquals(9, target.commonPrefixLength(first.get(0).id()), "closest first");
        lookup.onStalled(first.get(0));
        assertEquals(1, lookup.nextQueries().size(), "a stalled query frees its slot");
    }

    @Test
    void theFirstRoundAsksTheGivenSeedsAmongTheKClosestThenGoesByDistance() {
        List<Contact> seeds = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            seeds.add(contact(i)); // seeds.get(11) is the closest
        }
        Contact beyondK = seeds.get(2); // the 10th closest: not among the K closest, so not asked first
        Lookup lookup = new Lookup(target, seeds, Lookup.ALPHA, List.of(seeds.get(5), beyondK, seeds.get(4)));
        List<Contact> first = lookup.nextQueries();
        assertEquals(List.of(seeds.get(5), seeds.get(4), seeds.get(11)), first);
        lookup.onResponse(first.get(0), List.of());
        assertEquals(List.of(seeds.get(10)), lookup.nextQueries(), "then the closest not asked");
    }

    @Test
    void convergesWhenTheKClosestHaveAnswered() {
        Lookup lookup = new Lookup(target, List.of(contact(0)));
        Contact seed = lookup.nextQueries().get(0);
        List<Contact> near = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            near.add(contact(i * 3));
        }
        lookup.onResponse(seed, near);
        for (int round = 0; round < 20 && !lookup.isDone(); round++) {
            for (Contact c : lookup.nextQueries()) {
                lookup.onResponse(c, List.of());
            }
        }
        assertTrue(lookup.isDone());
        List<Contact> closest = lookup.closestResponded();
        assertEquals(Lookup.K, closest.size());
        assertEquals(36, target.commonPrefixLength(closest.get(0).id()));
        assertEquals(2, lookup.hops());
    }

    @Test
    void failedNodesAreSkippedAndAllFailingEndsTheLookup() {
        Lookup lookup = new Lookup(target, List.of(contact(1), contact(2)));
        List<Contact> asked = lookup.nextQueries();
        assertFalse(lookup.isDone());
        asked.forEach(lookup::onFailure);
        assertTrue(lookup.isDone());
        assertTrue(lookup.closestResponded().isEmpty());
    }

    @Test
    void ignoresDuplicateIdsAndAddresses() {
        Contact a = contact(5);
        Lookup lookup = new Lookup(target, List.of(a, a, new Contact(contact(6).id(), a.address())));
        assertEquals(1, lookup.nextQueries().size());
    }

    @Test
    void queriesAtMostOneNodeThatOnlyOneSourceNamedAtATime() {
        Contact seed = contact(0);
        Contact other = contact(1);
        Lookup lookup = new Lookup(target, List.of(seed, other));
        lookup.nextQueries();
        List<Contact> named = new ArrayList<>();
        for (int i = 10; i < 18; i++) {
            named.add(contact(i));
        }
        lookup.onResponse(seed, named);
        List<Contact> next = lookup.nextQueries();
        assertEquals(1, next.size(), "one of seed's nodes; 'other' still holds a slot");
        assertEquals(17, target.commonPrefixLength(next.get(0).id()));
        lookup.onResponse(other, List.of(named.get(0))); // a second source names the same node: confirmed
        assertEquals(List.of(named.get(0)), lookup.nextQueries(), "seed's others wait; the confirmed one goes");
    }

    @Test
    void aSourceWhoseFirstThreeNodesFailIsDiscreditedAndItsOtherNodesDropped() {
        Contact liar = contact(0);
        Lookup lookup = new Lookup(target, List.of(liar));
        lookup.nextQueries();
        List<Contact> invented = new ArrayList<>();
        for (int i = 100; i < 108; i++) {
            invented.add(contact(i));
        }
        lookup.onResponse(liar, invented);
        Contact asked = lookup.nextQueries().get(0);
        List<Contact> stalled = new ArrayList<>();
        for (int strike = 1; strike < Lookup.STRIKES_TO_DISCREDIT; strike++) {
            lookup.onStalled(asked);
            stalled.add(asked);
            asked = lookup.nextQueries().get(0); // one query per source at a time: the next invented node
        }
        stalled.forEach(c -> assertTrue(lookup.awaits(c), "still retried"));
        lookup.onStalled(asked);
        stalled.forEach(c -> assertFalse(lookup.awaits(c), "discredited: its nodes are no longer awaited"));
        assertTrue(lookup.nextQueries().isEmpty());
        assertTrue(lookup.isDone());
        assertEquals(List.of(liar), lookup.closestResponded());
    }

    @Test
    void aDiscreditedSourceWhoseNodeAnswersAfterAllGetsItsDroppedNodesBack() {
        Contact source = contact(0);
        Contact other = contact(1);
        Lookup lookup = new Lookup(target, List.of(source, other));
        lookup.nextQueries();
        List<Contact> named = new ArrayList<>();
        for (int i = 100; i < 108; i++) {
            named.add(contact(i));
        }
        lookup.onResponse(source, named);
        Contact confirmed = named.get(7); // the closest: another node names it too
        lookup.onResponse(other, List.of(confirmed));
        assertEquals(List.of(confirmed, named.get(6)), lookup.nextQueries());
        Contact asked = named.get(6);
        for (int strike = 1; strike <= Lookup.STRIKES_TO_DISCREDIT; strike++) {
            lookup.onStalled(asked); // lost first attempts, before any of source's nodes answered
            List<Contact> next = lookup.nextQueries();
            asked = next.isEmpty() ? null : next.get(0);
        }
        assertFalse(lookup.awaits(named.get(6)), "discredited: its unconfirmed nodes are dropped");
        assertTrue(lookup.awaits(confirmed));
        lookup.onResponse(confirmed, List.of());
        assertEquals(List.of(named.get(6)), lookup.nextQueries(), "source proved honest: its nodes are back");
        assertFalse(lookup.isDone());
    }
}
