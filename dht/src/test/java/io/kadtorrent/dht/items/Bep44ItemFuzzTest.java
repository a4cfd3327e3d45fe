package io.kadtorrent.dht.items;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of BEP 44 mutable items as a storing node sees them: a key, salt, seq, value and
 * signature from the network. Properties: checking a signature never throws, whatever the bytes; an item
 * signed with a key derived from the input verifies, keeps its target (SHA-1 of k and salt), and any change
 * to its value, salt or seq makes the signature fail. Input: 32 bytes of private key, 8 of seq, one byte of
 * salt length (mod 65), the salt, the value (the rest), and the same bytes read as a forged item.
 * Corpus: {@code Bep44ItemFuzzTestInputs/item}.
 */
class Bep44ItemFuzzTest {

    @FuzzTest
    void item(byte[] input) {
        if (input.length < 42) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(input);
        byte[] priv = new byte[Ed25519.PRIVATE_KEY_BYTES];
        in.get(priv);
        long seq = in.getLong();
        int saltLength = Math.min((input[40] & 0xFF) % (MutableItem.MAX_SALT_BYTES + 1), in.remaining() - 1);
        in.get();
        byte[] salt = new byte[Math.max(0, saltLength)];
        in.get(salt);
        byte[] v = new byte[in.remaining()];
        in.get(v);
        if (v.length == 0) {
            return;
        }
        // a forgery made of the same bytes: never throws, and never passes
        byte[] key = Arrays.copyOf(input, Ed25519.PUBLIC_KEY_BYTES);
        byte[] sig = Arrays.copyOfRange(Arrays.copyOf(input, 96 + input.length), 32, 96);
        MutableItem forged = new MutableItem(key, salt, seq, ItemValue.of(v), sig);
        forged.isSignatureValid();

        MutableItem signed = MutableItem.sign(priv, salt, seq, ItemValue.of(v));
        assertTrue(signed.isSignatureValid());
        assertEquals(MutableItem.targetOf(signed.key(), salt), signed.target());
        byte[] changed = v.clone();
        changed[changed.length - 1] ^= 1;
        assertFalse(new MutableItem(signed.key(), salt, seq, ItemValue.of(changed), signed.signature()).isSignatureValid());
        assertFalse(new MutableItem(signed.key(), salt, seq + 1, ItemValue.of(v), signed.signature()).isSignatureValid());
        byte[] otherSalt = Arrays.copyOf(salt, salt.length == MutableItem.MAX_SALT_BYTES ? salt.length - 1 : salt.length + 1);
        assertFalse(new MutableItem(signed.key(), otherSalt, seq, ItemValue.of(v), signed.signature()).isSignatureValid());
    }
}
