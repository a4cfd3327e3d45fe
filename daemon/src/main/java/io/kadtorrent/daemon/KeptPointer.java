package io.kadtorrent.daemon;

import io.kadtorrent.dht.items.ItemValue;
import io.kadtorrent.dht.items.MutableItem;

import java.util.HexFormat;

/**
 * A publisher's signed BEP 46 catalog pointer (a BEP 44 mutable item) as the daemon keeps it in
 * {@code pointers.json} and as the API carries it: the item's fields, byte strings in lowercase hex.
 *
 * @param key       the publisher's 32-byte Ed25519 public key ({@code k})
 * @param salt      the salt, empty for none (BEP 44: at most 64 bytes)
 * @param seq       the sequence number
 * @param value     the bencoded value {@code v} (BEP 46: {@code d2:ih20:...e}, the catalog torrent)
 * @param signature the publisher's 64-byte signature ({@code sig})
 */
public record KeptPointer(String key, String salt, long seq, String value, String signature) {

    private static final HexFormat HEX = HexFormat.of();

    public static KeptPointer of(MutableItem item) {
        return new KeptPointer(HEX.formatHex(item.key()), HEX.formatHex(item.salt()), item.seq(),
                HEX.formatHex(item.value().bytes()), HEX.formatHex(item.signature()));
    }

    /**
     * The item, checked as a storing node would check it (BEP 44: sizes, a seq of at least 0, the
     * signature); {@link IllegalArgumentException} names what is wrong.
     */
    public MutableItem item() {
        if (key == null || value == null || signature == null) {
            throw new IllegalArgumentException("a pointer needs key, value and signature (hex)");
        }
        MutableItem item;
        try {
            item = new MutableItem(HEX.parseHex(key), salt == null ? new byte[0] : HEX.parseHex(salt), seq,
                    ItemValue.of(HEX.parseHex(value)), HEX.parseHex(signature));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed pointer: " + e.getMessage(), e);
        }
        if (seq < 0 || item.isSaltTooBig() || item.value().isTooBig()) {
            throw new IllegalArgumentException("the pointer breaks BEP 44's limits (seq >= 0, salt <= "
                    + MutableItem.MAX_SALT_BYTES + " bytes, value <= " + ItemValue.MAX_BYTES + " bytes)");
        }
        if (!item.isSignatureValid()) {
            throw new IllegalArgumentException("the pointer's signature does not verify");
        }
        return item;
    }
}
