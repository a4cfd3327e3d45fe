package io.kadtorrent.dht.krpc;

import io.kadtorrent.dht.id.NodeId;
import io.kadtorrent.dht.items.Ed25519;
import io.kadtorrent.dht.items.ImmutableItem;
import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The item part of a BEP 44 get reply: {@code v} alone (immutable), {@code k}, {@code seq},
 * {@code sig} and {@code v} (mutable), or {@code seq} alone (nothing newer than the asker's seq).
 * Unverified: {@link #asImmutable} and {@link #asMutable} check it against what was asked for.
 */
public final class ItemReply {

    private final ItemValue value;
    private final Long seq;
    private final byte[] key;
    private final byte[] signature;

    private ItemReply(ItemValue value, Long seq, byte[] key, byte[] signature) {
        this.value = value;
        this.seq = seq;
        this.key = key;
        this.signature = signature;
    }

    public static ItemReply immutable(ItemValue value) {
        return new ItemReply(value, null, null, null);
    }

    public static ItemReply mutable(MutableItem item) {
        return new ItemReply(item.value(), item.seq(), item.key(), item.signature());
    }

    public static ItemReply seqOnly(long seq) {
        return new ItemReply(null, seq, null, null);
    }

    /** Whatever a reply held; {@code key} must be 32 bytes and {@code signature} 64 when present. */
    static ItemReply of(ItemValue value, Long seq, byte[] key, byte[] signature) {
        if ((key != null && key.length != Ed25519.PUBLIC_KEY_BYTES)
                || (signature != null && signature.length != Ed25519.SIGNATURE_BYTES)) {
            throw new IllegalArgumentException("k must be 32 bytes and sig 64 bytes");
        }
        return new ItemReply(value, seq, key == null ? null : key.clone(), signature == null ? null : signature.clone());
    }

    public Optional<ItemValue> value() {
        return Optional.ofNullable(value);
    }

    public OptionalLong seq() {
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    public Optional<byte[]> key() {
        return Optional.ofNullable(key).map(byte[]::clone);
    }

    public Optional<byte[]> signature() {
        return Optional.ofNullable(signature).map(byte[]::clone);
    }

    /** The immutable item this reply holds, if its value hashes to {@code target} (BEP 44: requesters SHOULD check). */
    public Optional<ImmutableItem> asImmutable(NodeId target) {
        if (value == null || key != null) {
            return Optional.empty();
        }
        ImmutableItem item = new ImmutableItem(value);
        return item.target().equals(target) ? Optional.of(item) : Optional.empty();
    }

    /**
     * The mutable item this reply holds, if its key and {@code salt} hash to {@code target} and its
     * signature verifies (BEP 44: requesters MUST check both).
     */
    public Optional<MutableItem> asMutable(NodeId target, byte[] salt) {
        if (value == null || seq == null || key == null || signature == null) {
            return Optional.empty();
        }
        MutableItem item = new MutableItem(key, salt, seq, value, signature);
        return item.target().equals(target) && !item.isSaltTooBig() && item.isSignatureValid()
                ? Optional.of(item) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemReply r && Objects.equals(value, r.value) && Objects.equals(seq, r.seq)
                && Arrays.equals(key, r.key) && Arrays.equals(signature, r.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(value, seq) * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "ItemReply[" + (seq == null ? "" : "seq=" + seq + ", ") + (key == null ? "" : "signed, ")
                + (value == null ? "no value" : value) + "]";
    }
}
