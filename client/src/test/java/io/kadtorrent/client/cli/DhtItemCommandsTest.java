package io.kadtorrent.client.cli;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.dht.DhtConfig;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.node.DhtNode;
import io.kadtorrent.metadata.signing.SigningKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code dht put} and {@code dht get} against two of our DHT nodes on loopback. */
class DhtItemCommandsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static DhtNode first;
    private static DhtNode second;

    @TempDir
    Path dir;

    @BeforeAll
    static void startNodes() throws Exception {
        first = DhtNode.start(DhtConfig.defaults().withBindAddress(LOOPBACK).withPort(0));
        second = DhtNode.start(DhtConfig.defaults().withBindAddress(LOOPBACK).withPort(0)
                .withBootstrap(List.of(first.localAddress())));
        assertTrue(second.joined().get(30, TimeUnit.SECONDS) > 0);
    }

    @AfterAll
    static void stopNodes() {
        second.close();
        first.close();
    }

    private static CliRun dht(String... args) {
        return on("127.0.0.1:" + first.localAddress().getPort(), args);
    }

    /** {@code kadtorrent dht ARGS} joining through {@code bootstrap}. */
    private static CliRun on(String bootstrap, String... args) {
        List<String> all = new ArrayList<>(List.of("dht"));
        all.addAll(Arrays.asList(args));
        all.addAll(List.of("--bootstrap", bootstrap, "--bind", "127.0.0.1", "--timeout", "30"));
        return CliRun.of(all.toArray(String[]::new));
    }

    private Path keygen(String name) throws Exception {
        Path key = dir.resolve(name);
        SigningKey.generate(new SecureRandom()).writeTo(key);
        return key;
    }

    @Test
    void anImmutableStringPutIsFoundByItsTarget() {
        CliRun put = dht("put", "--value", "hello, DHT");
        assertEquals(0, put.exitCode(), put.err());
        String expected = new ImmutableItem(ItemValue.of("10:hello, DHT".getBytes(US_ASCII))).target().hex();
        assertEquals(expected, put.line("target"));
        assertTrue(put.line("stored").matches("[1-9]\\d* nodes"), put.out());

        CliRun get = dht("get", put.line("target"));
        assertEquals(0, get.exitCode(), get.err());
        assertEquals("hello, DHT", get.line("value"));
    }

    @Test
    void rawBencodeFromAFileIsStoredAsItIsAndShownAsHex() throws Exception {
        Path file = dir.resolve("v.bencode");
        Files.writeString(file, "d1:ai1e1:bl1:xee", US_ASCII);
        CliRun put = dht("put", "--value-file", file.toString(), "--bencode");
        assertEquals(0, put.exitCode(), put.err());
        assertEquals(new ImmutableItem(ItemValue.of(Files.readAllBytes(file))).target().hex(), put.line("target"));

        CliRun get = dht("get", put.line("target"));
        assertEquals(0, get.exitCode(), get.err());
        assertEquals("d1:ai1e1:bl1:xee", new String(BaseEncoding.base16().lowerCase()
                .decode(get.line("bencoded_hex")), US_ASCII));
    }

    @Test
    void aMutablePutGoesOneSeqAboveTheCurrentOneAndEachSaltIsItsOwnItem() throws Exception {
        Path key = keygen("alice.key");
        CliRun v1 = dht("put", "--key", key.toString(), "--salt", "notes", "--value", "first");
        assertEquals(0, v1.exitCode(), v1.err());
        assertEquals("1", v1.line("seq"));
        CliRun v2 = dht("put", "--key", key.toString(), "--salt", "notes", "--value", "second");
        assertEquals(0, v2.exitCode(), v2.err());
        assertEquals("2", v2.line("seq"));
        assertEquals(v1.line("target"), v2.line("target"));
        CliRun unsalted = dht("put", "--key", key.toString(), "--value", "no salt", "--seq", "7");
        assertEquals(0, unsalted.exitCode(), unsalted.err());
        assertEquals("7", unsalted.line("seq"));

        CliRun notes = dht("get", "--public-key", key + ".pub", "--salt", "notes");
        assertEquals(0, notes.exitCode(), notes.err());
        assertEquals("2", notes.line("seq"));
        assertEquals("second", notes.line("value"));
        CliRun plain = dht("get", "--public-key", v1.line("public_key"));
        assertEquals(0, plain.exitCode(), plain.err());
        assertEquals("7", plain.line("seq"));
        assertEquals("no salt", plain.line("value"));

        CliRun other = dht("get", "--public-key", key + ".pub", "--salt", "photos");
        assertEquals(1, other.exitCode());
        assertTrue(other.err().startsWith("error: no mutable item found for key "), other.err());
        assertTrue(other.err().contains("salt 'photos'"), other.err());
    }

    /**
     * Against one storing node, so every put meets the item it replaces: with two, a put that reached only
     * one of them lets a later CAS put store on the other, as BEP 44 says (a node with no value ignores cas).
     */
    @Test
    void aLowerSeqOrAMismatchedCasIsRefused() throws Exception {
        Path key = keygen("bob.key");
        try (DhtNode lone = DhtNode.start(DhtConfig.defaults().withBindAddress(LOOPBACK).withPort(0))) {
            String at = "127.0.0.1:" + lone.localAddress().getPort();
            CliRun five = on(at, "put", "--key", key.toString(), "--value", "a", "--seq", "5");
            assertEquals(0, five.exitCode(), five.err());
            CliRun lower = on(at, "put", "--key", key.toString(), "--value", "b", "--seq", "4");
            assertEquals(1, lower.exitCode());
            assertTrue(lower.err().contains("--seq 4 is below the seq the DHT holds for this key and salt (5)"),
                    lower.err());
            CliRun cas = on(at, "put", "--key", key.toString(), "--value", "c", "--cas", "3");
            assertEquals(1, cas.exitCode(), cas.out());
            assertTrue(cas.err().startsWith("error: no DHT node stored the item"), cas.err());
            CliRun kept = on(at, "get", "--public-key", key + ".pub");
            assertEquals("5", kept.line("seq"));
            assertEquals("a", kept.line("value"));
            CliRun swapped = on(at, "put", "--key", key.toString(), "--value", "d", "--cas", "5");
            assertEquals(0, swapped.exitCode(), swapped.err());
            assertEquals("6", swapped.line("seq"));
        }
    }

    @Test
    void anImmutableItemNobodyStoredIsAFailure() {
        CliRun get = dht("get", "00".repeat(20));
        assertEquals(1, get.exitCode());
        assertEquals("error: no immutable item found under target " + "00".repeat(20) + "\n", get.err());
    }

    @Test
    void badValuesSaltsAndTargetsAreUsageErrorsThatSendNothing() throws Exception {
        Path key = keygen("carol.key");
        // a 996-byte string bencodes to 1000 bytes: the limit; one more byte is over it
        assertEquals(2, CliRun.of("dht", "put", "--value", "x".repeat(997), "--bootstrap", "127.0.0.1:1").exitCode());
        CliRun big = CliRun.of("dht", "put", "--value", "x".repeat(997), "--bootstrap", "127.0.0.1:1");
        assertTrue(big.err().contains("the value is 1001 bytes bencoded; BEP 44 allows at most 1000"), big.err());
        CliRun salt = CliRun.of("dht", "put", "--key", key.toString(), "--salt", "s".repeat(65), "--value", "v",
                "--bootstrap", "127.0.0.1:1");
        assertEquals(2, salt.exitCode());
        assertTrue(salt.err().contains("--salt is 65 bytes; BEP 44 allows at most 64"), salt.err());
        CliRun notBencode = CliRun.of("dht", "put", "--value", "d1:a", "--bencode", "--bootstrap", "127.0.0.1:1");
        assertEquals(2, notBencode.exitCode());
        assertTrue(notBencode.err().contains("not one bencoded value"), notBencode.err());
        assertEquals(2, CliRun.of("dht", "put", "--value", "v", "--salt", "s", "--bootstrap", "127.0.0.1:1").exitCode());
        assertEquals(2, CliRun.of("dht", "get", "abc", "--bootstrap", "127.0.0.1:1").exitCode());
        assertEquals(2, CliRun.of("dht", "get", "--bootstrap", "127.0.0.1:1").exitCode());
        CliRun fits = dht("put", "--value", "x".repeat(996));
        assertEquals(0, fits.exitCode(), fits.err());
    }
}
