package io.kadtorrent.dht.items;

import org.junit.jupiter.api.Test;

import java.util.OptionalLong;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ItemStoreTest {

    private final byte[] privateKey = new byte[32];
    private long now = 1_000;

    ItemStoreTest() {
        new SplittableRandom(8).nextBytes(privateKey);
    }

    private static ItemValue text(String s) {
        return ItemValue.of((s.length() + ":" + s).getBytes(US_ASCII));
    }

    private MutableItem signed(long seq, String value) {
        return MutableItem.sign(privateKey, new byte[0], seq, text(value));
    }

    @Test
    void refusesWhatBep44RefusesWithItsErrorCodes() {
        ItemStore store = new ItemStore();
        assertEquals(205, store.put(new ImmutableItem(text("x".repeat(1_000))), OptionalLong.empty(), now).code());
        assertEquals(207, store.put(MutableItem.sign(privateKey, new byte[65], 1, text("a")), OptionalLong.empty(), now).code());
        MutableItem good = signed(5, "five");
        MutableItem forged = new MutableItem(good.key(), good.salt(), 6, text("six"), good.signature());
        assertEquals(206, store.put(forged, OptionalLong.empty(), now).code());
        assertEquals(PutOutcome.STORED, store.put(good, OptionalLong.of(99), now), "cas is ignored with nothing stored");
        assertEquals(302, store.put(signed(4, "four"), OptionalLong.empty(), now).code());
        assertEquals(302, store.put(signed(5, "other five"), OptionalLong.empty(), now).code());
        assertEquals(PutOutcome.STORED, store.put(good, OptionalLong.empty(), now), "the same seq and value refreshes");
        assertEquals(301, store.put(signed(6, "six"), OptionalLong.of(4), now).code());
        assertEquals(PutOutcome.STORED, store.put(signed(6, "six"), OptionalLong.of(5), now));
        assertEquals(6, ((MutableItem) store.get(good.target(), now).orElseThrow()).seq());
        assertEquals(0, store.put(new ImmutableItem(text("x".repeat(990))), OptionalLong.empty(), now).code());
    }

    @Test
    void staysWithinItsCountAndByteCaps() {
        ItemStore byCount = new ItemStore(3, 1 << 20);
        for (int i = 0; i < 5; i++) {
            byCount.put(new ImmutableItem(text("item " + i)), OptionalLong.empty(), now);
        }
        assertEquals(3, byCount.itemCount());
        assertEquals(PutOutcome.FULL, byCount.put(new ImmutableItem(text("one more")), OptionalLong.empty(), now));
        ItemStore byBytes = new ItemStore(100, 2_500);
        for (int i = 0; i < 5; i++) {
            byBytes.put(new ImmutableItem(text(i + "x".repeat(900))), OptionalLong.empty(), now);
        }
        assertEquals(2, byBytes.itemCount());
        assertTrue(byBytes.sizeBytes() <= 2_500);
    }

    @Test
    void itemsExpireTwoHoursAfterTheirLastPut() {
        ItemStore store = new ItemStore();
        ImmutableItem item = new ImmutableItem(text("kept"));
        store.put(item, OptionalLong.empty(), now);
        assertEquals(now + ItemStore.ITEM_TTL_MILLIS, store.nextExpiryMillis());
        store.put(item, OptionalLong.empty(), now + 60_000); // re-put one minute later
        store.expire(now + ItemStore.ITEM_TTL_MILLIS);
        assertTrue(store.get(item.target(), now + ItemStore.ITEM_TTL_MILLIS).isPresent());
        store.expire(now + 60_000 + ItemStore.ITEM_TTL_MILLIS);
        assertEquals(0, store.itemCount());
        assertEquals(0, store.sizeBytes());
        assertEquals(Long.MAX_VALUE, store.nextExpiryMillis());
    }
}
