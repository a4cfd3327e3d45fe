package io.kadtorrent.dht.engine;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.DhtItem;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemStore;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.krpc.KrpcCodec;
import io.kadtorrent.dht.krpc.KrpcMessage;
import io.kadtorrent.dht.krpc.KrpcQuery;
import io.kadtorrent.dht.krpc.KrpcResponse;
import io.kadtorrent.dht.krpc.Token;
import io.kadtorrent.dht.rpc.TransactionId;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A flood of valid BEP 44 puts (each from its own address, each with the token a get gave it, over
 * the real codec) never takes one node's item storage past its count and byte caps, and once full it
 * refuses new items with a server error instead of evicting what it holds.
 */
class ItemFloodProperties {

    static final int PUTS = 5_000;

    @Property(tries = 2, edgeCases = EdgeCasesMode.NONE)
    void storageStaysWithinItsCapsUnderAFloodOfPuts(@ForAll long seed) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> replies = new ArrayList<>();
        long now = 1_000;
        DhtEngine engine = new DhtEngine(NodeId.random(random), (to, bytes) -> replies.add(bytes), random.split(), now);
        DhtItem first = null;
        int refused = 0;
        for (int i = 0; i < PUTS; i++) {
            now += 10;
            InetSocketAddress from = address(i);
            NodeId sender = NodeId.random(random);
            DhtItem item = randomItem(random, i);
            first = first == null ? item : first;
            KrpcResponse got = (KrpcResponse) ask(engine, now, from, new KrpcQuery.Get(TransactionId.of(1), sender, true,
                    item.target(), OptionalLong.empty()), replies);
            Token token = got.token().orElseThrow();
            KrpcMessage answer = ask(engine, now, from, new KrpcQuery.Put(TransactionId.of(2), sender, true, token, item,
                    OptionalLong.empty()), replies);
            refused += answer instanceof KrpcResponse ? 0 : 1;
            DhtEngine.Footprint f = engine.footprint();
            assertTrue(f.items() <= ItemStore.DEFAULT_MAX_ITEMS && f.itemBytes() <= ItemStore.DEFAULT_MAX_BYTES,
                    "seed " + seed + " put " + i + ": " + f.items() + " items, " + f.itemBytes() + " bytes");
        }
        assertTrue(refused > 0, "seed " + seed + ": the flood never reached the caps");
        assertTrue(engine.itemStore().get(first.target(), now).isPresent(), "seed " + seed + ": the first item was evicted");
    }

    private static KrpcMessage ask(DhtEngine engine, long now, InetSocketAddress from, KrpcQuery q, List<byte[]> replies)
            throws Exception {
        replies.clear();
        engine.onDatagram(now, from, KrpcCodec.encode(q));
        return KrpcCodec.decode(replies.get(0));
    }

    private static DhtItem randomItem(SplittableRandom random, int i) {
        String text = i + " " + "x".repeat(random.nextInt(400, 990));
        ItemValue value = ItemValue.of((text.length() + ":" + text).getBytes(US_ASCII));
        if (random.nextInt(5) > 0) {
            return new ImmutableItem(value);
        }
        byte[] privateKey = new byte[32];
        random.nextBytes(privateKey);
        byte[] salt = new byte[random.nextInt(0, 65)];
        random.nextBytes(salt);
        return MutableItem.sign(privateKey, salt, random.nextLong(0, Long.MAX_VALUE), value);
    }

    private static InetSocketAddress address(int i) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[]{10, (byte) (i >>> 16), (byte) (i >>> 8), (byte) i}), 6881);
    }
}
