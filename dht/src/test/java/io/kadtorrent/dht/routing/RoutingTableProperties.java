package io.kadtorrent.dht.routing;

import io.kadtorrent.dht.id.NodeId;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoutingTableProperties {

    /** One operation on the table; few distinct ports/ids so collisions and re-inserts happen. */
    record Op(int kind, int idSeed, int sharedBits, int port, long advanceMillis) {
    }

    @Property(tries = 200)
    void invariantsHoldAfterEveryOperation(@ForAll("ownIds") NodeId own, @ForAll @Size(max = 400) List<@From("ops") Op> ops) {
        checkEveryStep(new RoutingTable(own, 0), own, ops);
    }

    /** The same with buckets wider than K: small ones (12, 9) fill often with the few ports the ops use. */
    @Property(tries = 100)
    void invariantsHoldWithWideBuckets(@ForAll("ownIds") NodeId own, @ForAll @Size(max = 400) List<@From("ops") Op> ops,
                                       @ForAll boolean libtorrentSizes) {
        BucketCapacity capacity = libtorrentSizes ? BucketCapacity.WIDE : BucketCapacity.farBuckets(12, 9);
        checkEveryStep(new RoutingTable(own, 0, capacity), own, ops);
    }

    private static void checkEveryStep(RoutingTable table, NodeId own, List<Op> ops) {
        long now = 0;
        for (Op op : ops) {
            now += op.advanceMillis;
            Contact c = contact(own, op);
            switch (op.kind) {
                case 0 -> table.recordReply(c, now);
                case 1 -> {
                    if (table.recordQuery(c, now) == InsertResult.INSERTED) { // unverified: only within K
                        int bucket = Math.min(own.commonPrefixLength(c.id()), table.bucketCount() - 1);
                        assertTrue(table.bucketSize(bucket) <= KBucket.K, "an unverified querier took room beyond K");
                    }
                }
                case 2 -> table.recordFailure(c);
                case 3 -> {
                    boolean room = table.hasRoomFor(c);
                    boolean dropped = table.dropUnverified(c);
                    assertTrue(!(room && dropped), "a node in the table leaves no room for itself");
                }
                default -> table.refreshTargets(now, new SplittableRandom(op.idSeed));
            }
            table.checkInvariants();
            List<Contact> closest = table.closest(c.id(), 8);
            for (int i = 1; i < closest.size(); i++) {
                assertTrue(c.id().compareDistance(closest.get(i - 1).id(), closest.get(i).id()) <= 0);
            }
            NodeId near = NodeId.randomWithPrefix(own, op.port % 20, new SplittableRandom(op.advanceMillis));
            for (NodeId target : List.of(c.id(), near, own)) {
                for (int k : new int[]{1, 8, 16, 400}) {
                    assertEquals(closestBySortingEverything(table, target, k, now), table.closest(target, k));
                }
            }
        }
        assertEquals(table.size(), table.contacts().size());
    }

    /** The oracle: every contact that is not bad, sorted by distance to {@code target}. */
    private static List<Contact> closestBySortingEverything(RoutingTable table, NodeId target, int k, long now) {
        return table.contacts().stream()
                .filter(c -> table.stateOf(c, now).orElseThrow() != NodeState.BAD)
                .sorted((x, y) -> target.compareDistance(x.id(), y.id()))
                .limit(k)
                .toList();
    }

    private static Contact contact(NodeId own, Op op) {
        NodeId id = NodeId.randomWithPrefix(own.withBitFlipped(op.sharedBits), op.sharedBits + 1,
                new SplittableRandom(op.idSeed));
        if (op.idSeed == 0) {
            id = own; // now and then try our own id
        }
        try {
            return new Contact(id, new InetSocketAddress(InetAddress.getByAddress(new byte[]{127, 0, 0, 1}), op.port));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Provide
    Arbitrary<NodeId> ownIds() {
        return Arbitraries.bytes().array(byte[].class).ofSize(20).map(NodeId::of);
    }

    @Provide
    Arbitrary<Op> ops() {
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 300),
                Arbitraries.integers().between(0, 12), Arbitraries.integers().between(1, 200),
                Arbitraries.longs().between(0, 120_000)).as(Op::new);
    }
}
