package io.kadtorrent.metadata.feed;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Any change to a signed catalog's bytes, or any cut, is refused: nothing in the file is unsigned slack. */
class CatalogCodecProperties {

    private static final PublisherCatalog CATALOG =
            CatalogCodecTest.catalogOf(CatalogCodecTest.ALICE, "photos", "music", "notes.txt");
    private static final byte[] BYTES = CatalogCodec.encode(CATALOG, CatalogCodecTest.ALICE);

    @Property(tries = 400)
    void everySingleByteChangeIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int where,
                                        @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] mutated = BYTES.clone();
        mutated[where % mutated.length] ^= (byte) xor;
        assertThrows(InvalidCatalogException.class,
                () -> CatalogCodec.decode(mutated, CatalogCodecTest.ALICE.publicKey()));
    }

    @Property(tries = 100)
    void everyTruncationIsRefused(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] shorter = Arrays.copyOf(BYTES, cut % BYTES.length);
        assertThrows(InvalidCatalogException.class,
                () -> CatalogCodec.decode(shorter, CatalogCodecTest.ALICE.publicKey()));
    }

    @Property(tries = 10)
    void roundTripsWhateverIsListed(@ForAll @IntRange(min = 0, max = 20) int count) throws Exception {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = "torrent " + i;
        }
        PublisherCatalog c = CatalogCodecTest.catalogOf(CatalogCodecTest.ALICE, names);
        assertEquals(c, CatalogCodec.decode(CatalogCodec.encode(c, CatalogCodecTest.ALICE),
                CatalogCodecTest.ALICE.publicKey()));
    }
}
