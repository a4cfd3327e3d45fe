package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.id.SecureNodeId;
import io.kadtorrent.dht.krpc.CompactNodeInfo;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTableTest {

    private static final NodeId OWN = NodeId.of(new byte[20]);
    private static final long FIFTEEN_MINUTES = 15 * 60_000L;
    private int port = 1000;

    private Contact contactWithPrefix(int sharedBits) {
        NodeId id = NodeId.randomWithPrefix(OWN.withBitFlipped(sharedBits), sharedBits + 1, new SplittableRandom(port));
        return new Contact(id, new InetSocketAddress("127.0.0.1", port++));
    }

    @Test
    void neverStoresOwnId() {
        RoutingTable table = new RoutingTable(OWN, 0);
        assertEquals(InsertResult.REJECTED, table.recordReply(new Contact(OWN, new InetSocketAddress("127.0.0.1", 1)), 0));
        assertEquals(0, table.size());
    }

    @Test
    void keepsOneEntryPerIpAndPort() {
        RoutingTable table = new RoutingTable(OWN, 0);
        Contact a = contactWithPrefix(0);
        assertEquals(InsertResult.INSERTED, table.recordReply(a, 0));
        Contact sameAddress = new Contact(contactWithPrefix(3).id(), a.address());
        assertEquals(InsertResult.REJECTED, table.recordReply(sameAddress, 0));
        assertEquals(InsertResult.UPDATED, table.recordReply(a, 5));
        assertEquals(1, table.size());
    }

    @Test
    void farBucketFillsToKThenCachesReplacements() {
        RoutingTable table = new RoutingTable(OWN, 0);
        for (int i = 0; i < KBucket.K; i++) {
            assertEquals(InsertResult.INSERTED, table.recordReply(contactWithPrefix(0), 0));
        }
        // Our own neighbourhood splits off, but the far half (first bit differs) is full now.
        table.recordReply(contactWithPrefix(5), 0);
        assertEquals(InsertResult.CACHED, table.recordReply(contactWithPrefix(0), 0));
        assertEquals(KBucket.K + 1, table.size());
        assertEquals(1, table.replacementCount());
        table.checkInvariants();
    }

    @Test
    void wideFarBucketFillsToItsCapacityThenCachesReplacements() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.WIDE);
        for (int i = 0; i < 128; i++) {
            assertEquals(InsertResult.INSERTED, table.recordReply(contactWithPrefix(0), 0));
        }
        table.recordReply(contactWithPrefix(5), 0); // splits off our own half
        assertEquals(128, table.bucketSize(0));
        assertEquals(InsertResult.CACHED, table.recordReply(contactWithPrefix(0), 0));
        assertEquals(InsertResult.CACHED, table.recordQuery(contactWithPrefix(0), 0));
        assertEquals(129, table.size());
        assertEquals(2, table.replacementCount());
        table.checkInvariants();
    }

    @Test
    void eachBucketHoldsWhatItsCapacitySaysAndTheRestHoldK() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.farBuckets(16, 12));
        for (int bits = 0; bits < 4; bits++) {
            for (int i = 0; i < 20; i++) {
                table.recordReply(contactWithPrefix(bits), 0);
            }
        }
        table.recordReply(contactWithPrefix(30), 0); // our neighbourhood, so bucket 3 is split off and not the last
        assertEquals(16, table.bucketSize(0));
        assertEquals(12, table.bucketSize(1));
        assertEquals(KBucket.K, table.bucketSize(2));
        assertEquals(KBucket.K, table.bucketSize(3));
        table.checkInvariants();
    }

    @Test
    void theOnlyBucketSplitsWhenItReachesItsOwnCapacity() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.farBuckets(16));
        for (int i = 0; i < 16; i++) {
            table.recordReply(contactWithPrefix(i % 2 == 0 ? 0 : 3), 0);
        }
        assertEquals(1, table.bucketCount()); // 16 fit in the first bucket, which still covers the whole space
        table.recordReply(contactWithPrefix(3), 0);
        assertTrue(table.bucketCount() > 1);
        assertEquals(8, table.bucketSize(0));
        table.checkInvariants();
    }

    @Test
    void entriesThatDoNotFitTheNarrowerBucketAfterASplitBecomeReplacements() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.farBuckets(12));
        Contact far = contactWithPrefix(0);
        table.recordReply(far, 0);
        for (int i = 0; i < 11; i++) {
            table.recordReply(contactWithPrefix(1), 0); // all share exactly one bit: bucket 1 holds K of them
        }
        table.recordReply(contactWithPrefix(1), 0); // the first bucket is full: it splits
        table.checkInvariants();
        assertEquals(1, table.bucketSize(0));
        assertEquals(KBucket.K, table.bucketSize(1));
        assertEquals(KBucket.K + 1, table.size());
        assertEquals(4, table.replacementCount()); // the 3 newest that did not fit, and the node that split it
        assertTrue(table.contacts().contains(far));
    }

    @Test
    void aWideBucketNeverEvictsAGoodNodeForAnUnknownOneAndReplacesABadOne() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.farBuckets(12));
        List<Contact> full = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Contact c = contactWithPrefix(0);
            full.add(c);
            table.recordReply(c, 0);
        }
        table.recordReply(contactWithPrefix(7), 0);
        Contact newcomer = contactWithPrefix(0);
        assertEquals(InsertResult.CACHED, table.recordReply(newcomer, 1_000));
        assertEquals(Optional.empty(), table.questionableToPing(newcomer.id(), 1_000)); // all good: nobody to ping
        assertTrue(table.contacts().containsAll(full));
        for (int i = 0; i < KBucket.MAX_FAILURES; i++) {
            table.recordFailure(full.get(3));
        }
        assertFalse(table.contacts().contains(full.get(3)));
        assertTrue(table.contacts().contains(newcomer)); // the cached replacement took the bad node's place
        assertEquals(12, table.bucketSize(0));
        table.checkInvariants();
    }

    @Test
    void aWideBucketTakesUnverifiedQueriersOnlyUpToKAndTheRestOnceTheyAnswer() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.WIDE);
        for (int i = 0; i < KBucket.K; i++) {
            assertEquals(InsertResult.INSERTED, table.recordQuery(contactWithPrefix(0), 0));
        }
        Contact ninth = contactWithPrefix(0);
        assertEquals(InsertResult.VERIFY_FIRST, table.recordQuery(ninth, 0));
        assertEquals(KBucket.K, table.size(), "a querier beyond K is not stored unverified");
        assertTrue(table.hasRoomFor(ninth));
        assertEquals(InsertResult.INSERTED, table.recordReply(ninth, 10), "its answer brings it in");
        assertEquals(Optional.of(NodeState.GOOD), table.stateOf(ninth, 10));
        assertEquals(InsertResult.UPDATED, table.recordQuery(ninth, 20));
        table.checkInvariants();
    }

    @Test
    void aStandardTableStillStoresQueriersWhileABucketHasRoom() {
        RoutingTable table = new RoutingTable(OWN, 0);
        for (int i = 0; i < KBucket.K; i++) {
            assertEquals(InsertResult.INSERTED, table.recordQuery(contactWithPrefix(0), 0));
        }
        table.recordQuery(contactWithPrefix(6), 0);
        assertEquals(InsertResult.CACHED, table.recordQuery(contactWithPrefix(0), 0));
    }

    @Test
    void hasRoomForOnlyANewNodeWhoseBucketIsNotFull() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.farBuckets(9));
        Contact first = contactWithPrefix(0);
        assertTrue(table.hasRoomFor(first));
        table.recordReply(first, 0);
        assertFalse(table.hasRoomFor(first), "already in");
        assertFalse(table.hasRoomFor(new Contact(contactWithPrefix(0).id(), first.address())), "address taken");
        assertFalse(table.hasRoomFor(new Contact(OWN, new InetSocketAddress("127.0.0.1", 1))));
        for (int i = 1; i < 9; i++) {
            table.recordReply(contactWithPrefix(0), 0);
        }
        table.recordReply(contactWithPrefix(4), 0); // our half splits off; the far bucket holds its 9
        assertEquals(9, table.bucketSize(0));
        assertFalse(table.hasRoomFor(contactWithPrefix(0)), "full");
        assertTrue(table.hasRoomFor(contactWithPrefix(2)));
        assertTrue(table.isWideBucketFor(contactWithPrefix(0).id()));
        assertFalse(table.isWideBucketFor(contactWithPrefix(2).id()), "K from bucket 1 on");
        assertFalse(new RoutingTable(OWN, 0).isWideBucketFor(contactWithPrefix(0).id()));
    }

    @Test
    void dropUnverifiedRemovesOnlyANodeThatNeverAnswered() {
        RoutingTable table = new RoutingTable(OWN, 0, BucketCapacity.WIDE);
        Contact querier = contactWithPrefix(0);
        Contact answered = contactWithPrefix(0);
        table.recordQuery(querier, 0);
        table.recordReply(answered, 0);
        assertFalse(table.dropUnverified(new Contact(querier.id(), new InetSocketAddress("127.0.0.1", 1))),
                "not at that address");
        assertFalse(table.dropUnverified(answered), "a verified node stays");
        assertTrue(table.dropUnverified(querier));
        assertEquals(List.of(answered), table.contacts());
        assertFalse(table.dropUnverified(querier), "already gone");
        table.checkInvariants();
    }

    @Test
    void aBucketIsNeverSmallerThanK() {
        assertThrows(IllegalArgumentException.class, () -> BucketCapacity.farBuckets(128, 4));
        assertThrows(IllegalArgumentException.class, () -> BucketCapacity.farBuckets(256));
        assertEquals(KBucket.K, BucketCapacity.WIDE.of(4));
        BucketCapacity parsed = BucketCapacity.parse("255, 128,32");
        assertEquals(255, parsed.of(0));
        assertEquals(32, parsed.of(2));
        assertEquals(KBucket.K, parsed.of(3));
        assertThrows(IllegalArgumentException.class, () -> BucketCapacity.parse("128,x"));
        assertThrows(IllegalArgumentException.class, () -> BucketCapacity.parse("300"));
        assertEquals(128, BucketCapacity.WIDE.of(0));
        assertEquals(KBucket.K, BucketCapacity.STANDARD.of(0));
    }

    @Test
    void onlyTheBucketHoldingOwnIdSplits() {
        RoutingTable table = new RoutingTable(OWN, 0);
        for (int bits = 0; bits < 40; bits++) {
            table.recordReply(contactWithPrefix(bits), 0);
        }
        assertEquals(40, table.size());
        assertTrue(table.bucketCount() >= 33, "buckets " + table.bucketCount());
        table.checkInvariants();
    }

    @Test
    void repeatedFailuresMakeANodeBadAndItsReplacementTakesOver() {
        RoutingTable table = new RoutingTable(OWN, 0);
        List<Contact> full = new ArrayList<>();
        for (int i = 0; i < KBucket.K; i++) {
            Contact c = contactWithPrefix(0);
            full.add(c);
            table.recordReply(c, 0);
        }
        table.recordReply(contactWithPrefix(7), 0); // split off our half
        Contact spare = contactWithPrefix(0);
        assertEquals(InsertResult.CACHED, table.recordReply(spare, 0));
        Contact victim = full.get(3);
        table.recordFailure(victim);
        assertEquals(Optional.of(NodeState.GOOD), table.stateOf(victim, 1));
        table.recordFailure(victim);
        assertEquals(Optional.empty(), table.stateOf(victim, 1));
        assertTrue(table.contacts().contains(spare));
        table.checkInvariants();
    }

    @Test
    void nodesTurnQuestionableAfterFifteenQuietMinutes() {
        RoutingTable table = new RoutingTable(OWN, 0);
        Contact c = contactWithPrefix(2);
        table.recordReply(c, 0);
        assertEquals(Optional.of(NodeState.GOOD), table.stateOf(c, FIFTEEN_MINUTES - 1));
        assertEquals(Optional.of(NodeState.QUESTIONABLE), table.stateOf(c, FIFTEEN_MINUTES));
        Contact unverified = contactWithPrefix(3);
        table.recordQuery(unverified, 0);
        assertEquals(Optional.of(NodeState.QUESTIONABLE), table.stateOf(unverified, 0));
    }

    @Test
    void questionableNodeOfAFullBucketIsOfferedForPing() {
        RoutingTable table = new RoutingTable(OWN, 0);
        for (int i = 0; i < KBucket.K; i++) {
            table.recordReply(contactWithPrefix(0), i);
        }
        table.recordReply(contactWithPrefix(9), 0);
        Contact newcomer = contactWithPrefix(0);
        assertFalse(table.questionableToPing(newcomer.id(), 10).isPresent());
        assertTrue(table.questionableToPing(newcomer.id(), FIFTEEN_MINUTES + 10).isPresent());
    }

    @Test
    void idleBucketsAreRefreshedWithTargetsInsideThem() {
        RoutingTable table = new RoutingTable(OWN, 0);
        for (int bits = 0; bits < 10; bits++) {
            table.recordReply(contactWithPrefix(bits), 0);
        }
        assertTrue(table.refreshTargets(FIFTEEN_MINUTES - 1, new SplittableRandom(1)).isEmpty());
        List<NodeId> targets = table.refreshTargets(FIFTEEN_MINUTES, new SplittableRandom(1));
        assertEquals(table.bucketCount(), targets.size());
        for (int i = 0; i < targets.size() - 1; i++) {
            assertEquals(i, OWN.commonPrefixLength(targets.get(i)), "target of bucket " + i);
        }
        assertTrue(table.refreshTargets(FIFTEEN_MINUTES + 1, new SplittableRandom(1)).isEmpty());
    }

    @Test
    void closestReturnsNearestFirst() {
        RoutingTable table = new RoutingTable(OWN, 0);
        for (int bits = 0; bits < 20; bits++) {
            table.recordReply(contactWithPrefix(bits), 0);
        }
        List<Contact> closest = table.closest(OWN, 3);
        assertEquals(3, closest.size());
        assertEquals(19, OWN.commonPrefixLength(closest.get(0).id()));
        assertEquals(17, OWN.commonPrefixLength(closest.get(2).id()));
    }

    @Test
    void aNodeWhoseLastQueryFailedIsNotHandedToOthersUntilItAnswersAgain() {
        RoutingTable table = new RoutingTable(OWN, 0);
        List<Contact> contacts = new ArrayList<>();
        for (int bits = 0; bits < 10; bits++) {
            contacts.add(contactWithPrefix(bits));
            table.recordReply(contacts.get(bits), 0);
        }
        Contact silent = contacts.get(9); // the closest to our own id
        table.recordFailure(silent);
        assertEquals(silent, table.closest(OWN, 3).get(0), "our own lookups may still try it");
        assertFalse(addressesOf(table.closestCompact(OWN, 3)).contains(silent.address()));
        assertEquals(3, table.closestCompact(OWN, 3).size());
        table.recordReply(silent, 1);
        assertEquals(silent.address(), table.closestCompact(OWN, 3).get(0).address());
    }

    private static List<InetSocketAddress> addressesOf(List<CompactNodeInfo> nodes) {
        return nodes.stream().map(CompactNodeInfo::address).toList();
    }

    @Test
    void fastestPicksMeasuredContactsAmongTheClosestBySmoothedRoundTrip() {
        RoutingTable table = new RoutingTable(OWN, 0);
        List<Contact> contacts = new ArrayList<>();
        for (int bits = 0; bits < 12; bits++) {
            contacts.add(contactWithPrefix(bits));
        }
        long[] roundTrips = {30, 400, 200, -1, 100, 50, 300, 20, 10, 250, 60, 500}; // -1: never measured
        for (int i = 0; i < contacts.size(); i++) {
            table.recordReply(contacts.get(i), 0, roundTrips[i]);
        }
        // the 4 closest to OWN share 11, 10, 9 and 8 bits: 500, 60, 250 and 10 ms
        assertEquals(List.of(contacts.get(8), contacts.get(10)), table.fastest(OWN, 4, 2));
        table.recordReply(contacts.get(8), 1, 1_000); // 10 -> (3 * 10 + 1000 + 2) / 4 = 258 ms
        assertEquals(List.of(contacts.get(10), contacts.get(9), contacts.get(8)), table.fastest(OWN, 4, 3));
        table.recordReply(contacts.get(3), 2); // a reply of unknown round trip leaves it unmeasured
        assertEquals(List.of(contacts.get(7), contacts.get(0), contacts.get(5)), table.fastest(OWN, 12, 3));
    }

    @Test
    void aNodeWithABep42IdDisplacesOneWithoutInAFullBucket() throws Exception {
        RoutingTable table = new RoutingTable(OWN, 0);
        SplittableRandom random = new SplittableRandom(12);
        for (int i = 0; i < 9; i++) { // far half (first bit 1): fills bucket 0, then splits it off
            NodeId far = NodeId.randomWithPrefix(OWN.withBitFlipped(0), 1, random);
            table.recordReply(new Contact(far, new InetSocketAddress("198.51.100." + (i + 1), 6881)), 0);
        }
        InetAddress ip = InetAddress.getByName("203.0.113.9");
        NodeId secure;
        do {
            secure = SecureNodeId.derive(ip, random);
        } while (!secure.bit(0));
        Contact newcomer = new Contact(secure, new InetSocketAddress(ip, 6881));
        assertEquals(InsertResult.REPLACED_INSECURE, table.recordReply(newcomer, 1));
        assertTrue(table.contacts().contains(newcomer));
        assertEquals(8, table.size());
        table.checkInvariants();
        Contact insecure = new Contact(NodeId.randomWithPrefix(OWN.withBitFlipped(0), 1, random),
                new InetSocketAddress("198.51.100.77", 6881));
        assertEquals(InsertResult.CACHED, table.recordReply(insecure, 2), "an insecure id displaces nobody");
    }
}
