package io.kadtorrent.dht.sim;

import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;

import java.util.Optional;
import java.util.OptionalLong;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BEP 44 in the simulator, over 0-10 % loss: what one node puts, random other nodes get; a forged
 * signature, an oversized value or salt, or a salt that does not match is never stored or returned, and a
 * lower seq never replaces a higher one anywhere (a node that never had the item may take it: BEP 44 lets
 * it). The flood of puts against one node's caps is {@code ItemFloodProperties} (engine package).
 */
class ItemStorageProperties {

    static final int ITEMS = 20;

    @Property(tries = 3, edgeCases = EdgeCasesMode.NONE)
    void putItemsAreFoundFromOtherNodes(@ForAll("seeds") long seed, @ForAll("sizes") int size,
                                        @ForAll("losses") double loss) {
        SimulatedDht dht = SimulatedDht.join(seed, size, LinkModel.lossless().withLoss(loss));
        SimulatedNetwork net = dht.network();
        String where = "seed " + seed + " size " + size + " loss " + loss;
        int found = 0;
        for (int i = 0; i < ITEMS; i++) {
            SimNode writer = randomNode(net);
            ImmutableItem immutable = new ImmutableItem(text("value " + i + " of " + seed));
            assertTrue(dht.put(writer, immutable, OptionalLong.empty()) > 0, where + ": nobody stored item " + i);
            byte[] privateKey = privateKey(net);
            byte[] salt = ("salt " + i).getBytes(US_ASCII);
            MutableItem mutable = MutableItem.sign(privateKey, salt, 3, text("mutable " + i));
            assertTrue(dht.put(writer, mutable, OptionalLong.empty()) > 0, where + ": nobody stored mutable " + i);
            Optional<ImmutableItem> gotImmutable = dht.getImmutable(randomNode(net), immutable.target());
            Optional<MutableItem> gotMutable = dht.getMutable(randomNode(net), mutable.key(), salt);
            if (gotImmutable.equals(Optional.of(immutable)) && gotMutable.equals(Optional.of(mutable))) {
                found++;
            }
            assertEquals(Optional.empty(), dht.getMutable(randomNode(net), mutable.key(), "wrong".getBytes(US_ASCII)),
                    where + ": another salt is another item");
        }
        assertTrue(found >= ITEMS * 0.95, where + ": found " + found + "/" + ITEMS);
    }

    @Property(tries = 3, edgeCases = EdgeCasesMode.NONE)
    void forgedReplayedAndOversizedItemsAreNeverStoredNorReturned(@ForAll("seeds") long seed, @ForAll("sizes") int size) {
        SimulatedDht dht = SimulatedDht.join(seed, size, LinkModel.lossless());
        SimulatedNetwork net = dht.network();
        String where = "seed " + seed + " size " + size;
        for (int i = 0; i < ITEMS / 2; i++) {
            byte[] privateKey = privateKey(net);
            byte[] salt = new byte[0];
            MutableItem current = MutableItem.sign(privateKey, salt, 10, text("current " + i));
            assertTrue(dht.put(randomNode(net), current, OptionalLong.empty()) > 0, where);
            MutableItem replayed = MutableItem.sign(privateKey, salt, 9, text("older " + i));
            MutableItem forged = new MutableItem(current.key(), salt, 11, text("forged " + i), current.signature());
            MutableItem oversized = MutableItem.sign(privateKey, salt, 12, text("x".repeat(ItemValue.MAX_BYTES)));
            MutableItem saltTooBig = MutableItem.sign(privateKey, new byte[65], 13, text("salty " + i));
            List<SimNode> holders = net.nodes().stream()
                    .filter(n -> n.engine().itemStore().get(current.target(), net.clock().nowMillis()).isPresent()).toList();
            dht.put(randomNode(net), replayed, OptionalLong.empty());
            assertEquals(0, dht.put(randomNode(net), forged, OptionalLong.empty()), where + ": a forged item was stored");
            assertEquals(0, dht.put(randomNode(net), oversized, OptionalLong.empty()), where + ": an oversized item was stored");
            assertEquals(0, dht.put(randomNode(net), saltTooBig, OptionalLong.empty()), where + ": a 65-byte salt was stored");
            assertEquals(Optional.of(current), dht.getMutable(randomNode(net), current.key(), salt),
                    where + ": get must return the highest valid seq");
            for (SimNode n : holders) {
                assertEquals(Optional.of(current), n.engine().itemStore().get(current.target(), net.clock().nowMillis()),
                        where + ": node " + n + " let go of seq 10");
            }
            for (SimNode n : net.nodes()) {
                n.engine().itemStore().get(current.target(), net.clock().nowMillis()).ifPresent(stored ->
                        assertTrue(stored.equals(current) || stored.equals(replayed), where + ": " + n + " holds " + stored));
            }
        }
    }

    private static ItemValue text(String s) {
        return ItemValue.of((s.length() + ":" + s).getBytes(US_ASCII));
    }

    private static SimNode randomNode(SimulatedNetwork net) {
        return net.nodes().get(net.random().nextInt(net.nodes().size()));
    }

    private static byte[] privateKey(SimulatedNetwork net) {
        byte[] key = new byte[32];
        net.random().nextBytes(key);
        return key;
    }

    @Provide
    Arbitrary<Long> seeds() {
        return SimulationParameters.seeds();
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return SimulationParameters.networkSizes(100, 500);
    }

    @Provide
    Arbitrary<Double> losses() {
        return SimulationParameters.lossRates();
    }
}
