package io.kadtorrent.client.cli;

import io.kadtorrent.dht.items.ItemStore;
import io.kadtorrent.dht.items.MutableItem;
import io.kadtorrent.dht.items.PutOutcome;
import io.kadtorrent.metadata.feed.CatalogPointer;
import io.kadtorrent.metadata.signing.SigningKey;
import io.kadtorrent.torrent.metainfo.InfoHash;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A catalog pointer put under one salt is never what a get under another salt finds: it lives at another
 * target, and the same signed pointer relabelled with the other salt is refused (the salt is signed).
 */
class SaltedPointerProperties {

    private static final SigningKey KEY = SigningKey.generate(new SecureRandom());

    @Provide
    Arbitrary<byte[]> salts() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(MutableItem.MAX_SALT_BYTES);
    }

    @Property(tries = 200)
    void aPointerUnderOneSaltIsNotFoundUnderAnother(@ForAll("salts") byte[] a, @ForAll("salts") byte[] b,
                                                   @ForAll byte[] infoHashSeed) {
        Assume.that(!Arrays.equals(a, b));
        MutableItem pointer = KEY.signItem(a, 1, CatalogPointer.to(InfoHash.ofInfo(infoHashSeed)));
        ItemStore store = new ItemStore();
        assertEquals(PutOutcome.STORED, store.put(pointer, OptionalLong.empty(), 0));

        byte[] key = KEY.publicKey().bytes();
        assertTrue(store.get(MutableItem.targetOf(key, a), 0).isPresent());
        assertTrue(store.get(MutableItem.targetOf(key, b), 0).isEmpty());
        MutableItem relabelled = new MutableItem(key, b, pointer.seq(), pointer.value(), pointer.signature());
        assertFalse(relabelled.isSignatureValid());
        assertEquals(PutOutcome.INVALID_SIGNATURE, store.put(relabelled, OptionalLong.empty(), 0));
        assertTrue(store.get(MutableItem.targetOf(key, b), 0).isEmpty());
    }
}
