package io.kadtorrent.dht.items;

import com.google.common.io.BaseEncoding;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** BEP 44's test vectors, and signing round trips. */
class MutableItemTest {

    // BEP 44 test vectors: the key pair both mutable vectors use (the private key is given only in
    // its 64-byte expanded form, which cannot be turned back into an RFC 8032 seed, so the vectors
    // are checked by verification; signing is checked by round trips below).
    private static final byte[] KEY = hex("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548");
    private static final ItemValue HELLO = ItemValue.of("12:Hello World!".getBytes(US_ASCII));

    private static byte[] hex(String s) {
        return BaseEncoding.base16().lowerCase().decode(s);
    }

    @Test
    void vector1MutableWithoutSalt() {
        assertArrayEquals("3:seqi1e1:v12:Hello World!".getBytes(US_ASCII), MutableItem.signedBytes(new byte[0], 1, HELLO));
        MutableItem item = new MutableItem(KEY, new byte[0], 1, HELLO, hex(
                "305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff"
                        + "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01"));
        assertEquals("4a533d47ec9c7d95b1ad75f576cffc641853b750", item.target().hex());
        assertTrue(item.isSignatureValid());
    }

    @Test
    void vector2MutableWithSalt() {
        byte[] salt = "foobar".getBytes(US_ASCII);
        assertArrayEquals("4:salt6:foobar3:seqi1e1:v12:Hello World!".getBytes(US_ASCII),
                MutableItem.signedBytes(salt, 1, HELLO));
        MutableItem item = new MutableItem(KEY, salt, 1, HELLO, hex(
                "6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d"
                        + "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08"));
        assertEquals("411eba73b6f087ca51a3795d9c8c938d365e32c1", item.target().hex());
        assertTrue(item.isSignatureValid());
    }

    @Test
    void vector3Immutable() {
        assertEquals("e5f96f6f38320f0f33959cb4d3d656452117aadb", new ImmutableItem(HELLO).target().hex());
    }

    @Test
    void theVectorSignatureFailsForAnyOtherSeqSaltOrValue() {
        byte[] sig = hex("305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff"
                + "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01");
        assertFalse(new MutableItem(KEY, new byte[0], 2, HELLO, sig).isSignatureValid());
        assertFalse(new MutableItem(KEY, "x".getBytes(US_ASCII), 1, HELLO, sig).isSignatureValid());
        assertFalse(new MutableItem(KEY, new byte[0], 1, ItemValue.of("12:Hello World?".getBytes(US_ASCII)), sig)
                .isSignatureValid());
    }

    @Test
    void signedItemsVerifyAndTargetTheirKeyAndSalt() {
        byte[] privateKey = new byte[32];
        new SplittableRandom(5).nextBytes(privateKey);
        MutableItem item = MutableItem.sign(privateKey, "s".getBytes(US_ASCII), 42, HELLO);
        assertTrue(item.isSignatureValid());
        assertArrayEquals(Ed25519.publicKey(privateKey), item.key());
        assertEquals(MutableItem.targetOf(item.key(), "s".getBytes(US_ASCII)), item.target());
        assertFalse(item.isSaltTooBig());
        assertTrue(MutableItem.sign(privateKey, new byte[65], 1, HELLO).isSaltTooBig());
    }
}
