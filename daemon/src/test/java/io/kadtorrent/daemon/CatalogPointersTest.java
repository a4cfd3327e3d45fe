package io.kadtorrent.daemon;

import io.kadtorrent.daemon.api.Json;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon's kept catalog pointers, on virtual time: when each is put again, and after a restart. */
class CatalogPointersTest {

    private static final long MINUTE = 60_000;
    private static final byte[] PUBLISHER = "an Ed25519 seed: any 32 bytes...".getBytes(US_ASCII);

    @TempDir
    Path dir;

    private final List<MutableItem> puts = new ArrayList<>();
    private int storedOn = 8; // what the next puts report
    private CompletableFuture<Integer> pending; // when set, puts wait on it
    private StateDir state;

    @BeforeEach
    void open() throws Exception {
        state = StateDir.open(dir, Json.mapper());
    }

    @AfterEach
    void close() throws Exception {
        state.close();
    }

    private CompletableFuture<Integer> put(MutableItem item) {
        puts.add(item);
        return pending != null ? pending : CompletableFuture.completedFuture(storedOn);
    }

    /** A BEP 46 pointer at a catalog torrent whose info_hash is twenty {@code fill} bytes. */
    private static MutableItem pointer(String salt, long seq, char fill) {
        String v = "d2:ih20:" + String.valueOf(fill).repeat(20) + "e";
        return MutableItem.sign(PUBLISHER, salt.getBytes(US_ASCII), seq, ItemValue.of(v.getBytes(US_ASCII)));
    }

    @Test
    void aKeptPointerIsPutAgainUnchangedEveryHourAndSoonerAfterAPutNoNodeStored() throws Exception {
        CatalogPointers pointers = CatalogPointers.restore(state, this::put, 0);
        MutableItem item = pointer("", 3, 'a');
        pointers.keep(item, 0); // share --dht has just put it
        pointers.tick(59 * MINUTE);
        assertEquals(List.of(), puts, "not due before an hour");
        pointers.tick(60 * MINUTE);
        assertEquals(List.of(item), puts, "the same signed item: same seq, same signature");
        pointers.tick(61 * MINUTE);
        assertEquals(1, puts.size());
        storedOn = 0;
        pointers.tick(120 * MINUTE);
        assertEquals(2, puts.size());
        pointers.tick(124 * MINUTE);
        assertEquals(2, puts.size());
        storedOn = 8;
        pointers.tick(125 * MINUTE);
        assertEquals(3, puts.size(), "a put no node stored is tried again after five minutes");
        pointers.tick(184 * MINUTE);
        assertEquals(3, puts.size());
        pointers.tick(185 * MINUTE);
        assertEquals(4, puts.size());
        assertTrue(puts.stream().allMatch(item::equals));
        // every put is well inside BEP 44's two hours after the one before
        assertTrue(CatalogPointers.REPUT_EVERY_MILLIS + CatalogPointers.RETRY_AFTER_MILLIS < 120 * MINUTE);
    }

    @Test
    void aPutStillUnderWayIsNotStartedTwice() throws Exception {
        CatalogPointers pointers = CatalogPointers.restore(state, this::put, 0);
        pointers.keep(pointer("", 1, 'a'), 0);
        pending = new CompletableFuture<>();
        pointers.tick(60 * MINUTE);
        pointers.tick(70 * MINUTE);
        assertEquals(1, puts.size());
        pending.complete(5);
        pending = null;
        pointers.tick(119 * MINUTE);
        assertEquals(1, puts.size(), "next one hour after the put began");
        pointers.tick(120 * MINUTE);
        assertEquals(2, puts.size());
    }

    @Test
    void afterARestartEveryKeptPointerIsPutAtOnceFromTheSavedState() throws Exception {
        MutableItem unsalted = pointer("", 2, 'a');
        MutableItem salted = pointer("podcasts", 9, 'b');
        CatalogPointers before = CatalogPointers.restore(state, this::put, 0);
        before.keep(unsalted, 0);
        before.keep(salted, 10 * MINUTE);
        assertTrue(Files.exists(dir.resolve("pointers.json")));
        state.close();

        state = StateDir.open(dir, Json.mapper()); // the daemon starts again, its clock anywhere
        CatalogPointers after = CatalogPointers.restore(state, this::put, 5_000 * MINUTE);
        assertEquals(List.of(KeptPointer.of(unsalted), KeptPointer.of(salted)), after.list());
        after.tick(5_000 * MINUTE);
        assertEquals(List.of(unsalted, salted), puts, "how long ago they were put is unknown: put them now");
        after.tick(5_059 * MINUTE);
        assertEquals(2, puts.size());
        after.tick(5_060 * MINUTE);
        assertEquals(4, puts.size());
    }

    @Test
    void aNewerSeqReplacesTheKeptPointerForItsKeyAndSaltAndAnOlderOneIsRefused() throws Exception {
        CatalogPointers pointers = CatalogPointers.restore(state, this::put, 0);
        pointers.keep(pointer("", 1, 'a'), 0);
        pointers.keep(pointer("", 2, 'b'), 0); // the catalog changed: share --dht put seq 2
        pointers.keep(pointer("other", 1, 'c'), 0);
        assertEquals(List.of(2L, 1L), pointers.list().stream().map(KeptPointer::seq).toList());
        assertThrows(IllegalArgumentException.class, () -> pointers.keep(pointer("", 1, 'a'), 0));
        assertEquals(pointers.list(), CatalogPointers.restore(state, this::put, 0).list(), "saved on every change");
    }

    @Test
    void aPointerWhoseSignatureFailsIsRefusedAndSkippedWhenRead() throws Exception {
        KeptPointer good = KeptPointer.of(pointer("", 4, 'a'));
        KeptPointer forged = new KeptPointer(good.key(), good.salt(), 5, good.value(), good.signature());
        assertThrows(IllegalArgumentException.class, forged::item);
        assertThrows(IllegalArgumentException.class, () -> new KeptPointer("zz", "", 1, "1:a", good.signature()).item());
        state.savePointers(List.of(forged, good));
        assertEquals(List.of(good), CatalogPointers.restore(state, this::put, 0).list());
    }
}
