package io.kadtorrent.dht.items;

import com.google.common.io.BaseEncoding;
import io.kadtorrent.dht.id.NodeId;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import static java.nio.charset.StandardCharsets.US_ASCII;

/**
 * A BEP 44 mutable item: a value signed with an Ed25519 key, versioned by {@code seq}, stored under
 * SHA-1(k + salt). The constructor only checks lengths that make an item unrepresentable; the rules
 * a storing node answers with an error (salt length, signature, size) are asked separately, so it
 * can answer with the BEP's code.
 */
public final class MutableItem implements DhtItem {

    public static final int MAX_SALT_BYTES = 64; // BEP 44: the salt MUST NOT be longer than 64 bytes

    private final byte[] key;
    private final byte[] salt;
    private final long seq;
    private final ItemValue value;
    private final byte[] signature;

    /**
     * @param key       the signer's 32-byte Ed25519 public key ({@code k})
     * @param salt      {@code salt}, empty when absent (BEP 44: an empty salt is no salt)
     * @param seq       the sequence number; a storing node never goes back to a lower one
     * @param signature the 64-byte signature of {@link #signedBytes}
     */
    public MutableItem(byte[] key, byte[] salt, long seq, ItemValue value, byte[] signature) {
        if (key.length != Ed25519.PUBLIC_KEY_BYTES || signature.length != Ed25519.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("k must be 32 bytes and sig 64 bytes");
        }
        this.key = key.clone();
        this.salt = salt.clone();
        this.seq = seq;
        this.value = value;
        this.signature = signature.clone();
    }

    /** Signs {@code value} at {@code seq} with the 32-byte Ed25519 private key (seed) {@code privateKey}. */
    public static MutableItem sign(byte[] privateKey, byte[] salt, long seq, ItemValue value) {
        byte[] sig = Ed25519.sign(privateKey, signedBytes(salt, seq, value));
        return new MutableItem(Ed25519.publicKey(privateKey), salt, seq, value, sig);
    }

    /**
     * BEP 44's exact signed buffer: {@code 4:salt<len>:<salt>} (only for a non-empty salt), then
     * {@code 3:seqi<seq>e1:v}, then {@code v} as bencoded. Built by hand, not by a bencoder, so a
     * parser quirk cannot shift bytes between fields.
     */
    public static byte[] signedBytes(byte[] salt, long seq, ItemValue value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.sizeBytes() + salt.length + 40);
        if (salt.length > 0) {
            out.writeBytes(("4:salt" + salt.length + ":").getBytes(US_ASCII));
            out.writeBytes(salt);
        }
        out.writeBytes(("3:seqi" + seq + "e1:v").getBytes(US_ASCII));
        value.writeTo(out);
        return out.toByteArray();
    }

    /** BEP 44: the target of a mutable item is SHA-1(k + salt). */
    public static NodeId targetOf(byte[] key, byte[] salt) {
        return NodeId.of(ItemValue.sha1(key, salt));
    }

    @Override
    public NodeId target() {
        return targetOf(key, salt);
    }

    /** True when {@code sig} is the key's valid signature of salt, seq and value (else error 206). */
    public boolean isSignatureValid() {
        return Ed25519.verify(key, signedBytes(salt, seq, value), signature);
    }

    /** True when the salt is longer than BEP 44 allows (error 207). */
    public boolean isSaltTooBig() {
        return salt.length > MAX_SALT_BYTES;
    }

    public byte[] key() {
        return key.clone();
    }

    public byte[] salt() {
        return salt.clone();
    }

    public long seq() {
        return seq;
    }

    @Override
    public ItemValue value() {
        return value;
    }

    public byte[] signature() {
        return signature.clone();
    }

    /** Bytes this item holds in memory, for storage caps. */
    public int sizeBytes() {
        return key.length + salt.length + Long.BYTES + value.sizeBytes() + signature.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MutableItem m && seq == m.seq && Arrays.equals(key, m.key) && Arrays.equals(salt, m.salt)
                && value.equals(m.value) && Arrays.equals(signature, m.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "MutableItem[k=" + BaseEncoding.base16().lowerCase().encode(key, 0, 8) + "..., salt=" + salt.length
                + " bytes, seq=" + seq + ", " + value + "]";
    }
}
